/// Annotations stored once (schema 39, docs/SPEC.md 7.4, "Entities"): most records of
/// a kind share their compact entity list when it names no string (a location point's
/// `[[0,0,2]]`, a search's `[[1,1,5]]`: its values are member numbers and paths into the
/// row's own `data`), and records share a few hundred languages (`["en",0.99,1]`). On the 256
/// MB Takeout corpus, 532,920 entity lists of 8 distinct values and 397,884 languages of 161.
/// Such a value is stored once in `stored_lists(ref, value)`, and the row's column holds its
/// ref in decimal (`"3"`, one byte) instead. A stored list or language always starts with `[`
/// or `{`, so a value of digits is a ref and nothing else. Values longer than `maxBytes` stay in
/// their rows: one that never repeats would cost its row in the table and in its unique index.
enum StoredLists {
    /// The longest value stored once.
    static let maxBytes = 48

    /// Whether compact entity list `stored` is stored once: `[[`…`]]`, no string, at most `maxBytes`.
    static func listableEntities(_ stored: [UInt8]) -> Bool {
        stored.count >= 4 && stored.count <= maxBytes && stored[0] == CompactAnnotations.bracket && stored[1] == CompactAnnotations.bracket
            && !stored.contains(CompactAnnotations.quote)
    }

    /// Whether compact language `stored` (`[code,confidence,method]`) is stored once: at most `maxBytes`.
    static func listableLanguage(_ stored: [UInt8]) -> Bool {
        stored.count >= 2 && stored.count <= maxBytes && stored[0] == CompactAnnotations.bracket
    }

    /// The `stored_lists` ref a stored value names: one to eighteen digits, no leading zero;
    /// nil for a list.
    static func reference(_ stored: [UInt8]) -> Int64? {
        guard let n = stored.withUnsafeBufferPointer({ CompactAnnotations.decimal($0, maxDigits: 18) }), n > 0 else { return nil }
        return Int64(n)
    }
}
