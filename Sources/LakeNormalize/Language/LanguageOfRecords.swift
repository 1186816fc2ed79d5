import LakeCore

extension LakeRecord {
    /// At most this many characters of a record's text are looked at.
    public static let languageSampleCharacters = 1000

    /// Sets `language` from `text` (docs/SPEC.md 5.9): `{"code", "method": "detected",
    /// "fallback" or "undetermined", "confidence"}` and the lineage step `enrich.language`. Nothing changes when
    /// the text holds no letter, or when the record's language came from its source already.
    public mutating func detectLanguage(_ text: String?) {
        guard language == nil, let text else { return }
        // A text of at most that many bytes has at most that many characters: it is its own
        // sample, without `prefix` walking its characters (most texts: a post, a tweet, a title).
        let sample = text.utf8.count <= Self.languageSampleCharacters ? text : String(text.prefix(Self.languageSampleCharacters))
        guard let r = LanguageDetector.detect(sample) else { return }
        language = r.code
        languageMethod = r.method.rawValue
        languageConfidence = r.confidenceText
        lineage.append(.init("enrich.language", version: LanguageDetector.version))
    }
}
