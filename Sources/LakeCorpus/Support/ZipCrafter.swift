/// Builds zip files byte by byte (stored entries, no compression) so hostile fixtures can lie
/// exactly where wanted: a wrong CRC, a declared size that is not the real one, the encryption
/// flag on plain data, any entry name. Layout per PKWARE APPNOTE 6.3: local headers and data,
/// then the central directory, then the end record. Times are fixed (1980-01-01 00:00).
struct ZipCrafter {
    struct Entry {
        var name: String
        var data: [UInt8]
        /// Written instead of the real CRC-32 when set.
        var crcOverride: UInt32?
        /// Written as the uncompressed size instead of the real one when set.
        var declaredSize: UInt32?
        /// Sets general-purpose bit 0 (traditional encryption).
        var encryptedFlag = false
        /// Unix mode in the external attributes (e.g. 0o120777 for a symlink, whose data is the target).
        var unixMode: UInt32 = 0o100644
        /// Written as the local header's name instead of `name` when set (the central directory keeps `name`).
        var localName: String?
        /// Records the local-header offset as 0xFFFFFFFF plus a ZIP64 extra field (0x0001) holding it.
        var zip64Offset = false
    }

    var entries: [Entry] = []
    /// The central directory's records in this order of `entries` indexes when set (local
    /// headers stay in `entries` order).
    var centralOrder: [Int]?

    static let crcTable: [UInt32] = (0..<256).map { i -> UInt32 in
        var c = UInt32(i)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func crc32(_ data: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in data { c = crcTable[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }

    static func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
    static func le32(_ v: UInt32) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 24)] }

    func bytes() -> [UInt8] {
        var out: [UInt8] = []
        var records: [[UInt8]] = []
        for e in entries {
            var central: [UInt8] = []
            let name = Array(e.name.utf8)
            let local = e.localName.map { Array($0.utf8) } ?? name
            let crc = e.crcOverride ?? Self.crc32(e.data)
            let size = UInt32(e.data.count)
            let declared = e.declaredSize ?? size
            let flags: UInt16 = (e.encryptedFlag ? 1 : 0) | 0x0800  // bit 11: UTF-8 names
            let offset = UInt32(out.count)
            out += [0x50, 0x4B, 0x03, 0x04] + Self.le16(20) + Self.le16(flags) + Self.le16(0) + Self.le16(0) + Self.le16(0x21)
            out += Self.le32(crc) + Self.le32(size) + Self.le32(declared) + Self.le16(UInt16(local.count)) + Self.le16(0) + local + e.data
            central +=
                [0x50, 0x4B, 0x01, 0x02] + Self.le16(0x0314) + Self.le16(20) + Self.le16(flags) + Self.le16(0) + Self.le16(0)
                + Self.le16(0x21)
            let extra = e.zip64Offset ? Self.le16(1) + Self.le16(8) + Self.le32(offset) + Self.le32(0) : []
            central +=
                Self.le32(crc) + Self.le32(size) + Self.le32(declared) + Self.le16(UInt16(name.count)) + Self.le16(UInt16(extra.count))
                + Self.le16(0)
            central +=
                Self.le16(0) + Self.le16(0) + Self.le32(e.unixMode << 16) + Self.le32(e.zip64Offset ? 0xFFFF_FFFF : offset) + name + extra
            records.append(central)
        }
        let cdOffset = UInt32(out.count)
        let central = (centralOrder ?? Array(records.indices)).flatMap { records[$0] }
        out += central
        out += [0x50, 0x4B, 0x05, 0x06] + Self.le16(0) + Self.le16(0) + Self.le16(UInt16(entries.count)) + Self.le16(UInt16(entries.count))
        out += Self.le32(UInt32(central.count)) + Self.le32(cdOffset) + Self.le16(0)
        return out
    }
}
