import Foundation
import LakeCore
import LakeIngest

/// The `adversarial` profile: inputs a safe pipeline must refuse or recover from, each listed in
/// the manifest's `refused` with the rule that must fire (the rule names of docs/SPEC.md,
/// "Refusal rules"). Archive-level cases are whole files; content-level cases sit inside one
/// otherwise valid zip (`adversarial-contents.zip`) so the rest of it must still load.
struct AdversarialProfile {
    let rng: SplitMix64
    let targetBytes: Int64

    typealias Refusal = CorpusManifest.Refusal

    /// The EICAR anti-virus test string (68 bytes, harmless by design).
    static let eicar = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"

    func generate(output: String) throws -> ProfileResult {
        var rng = self.rng
        var refused: [Refusal] = []
        var inputs: [CorpusManifest.Input] = []
        func write(_ name: String, _ bytes: [UInt8], entries: [CorpusManifest.Entry] = []) {
            _ = FileManager.default.createFile(atPath: output + "/" + name, contents: Data(bytes))
            inputs.append(
                .init(file: name, exportKind: "adversarial", user: "adversary", sha256: FileDigester.sha256(bytes), entries: entries))
        }
        let sample = Array("window.YTD.tweets.part0 = [ ]".utf8)

        // Paths that leave the root.
        var slip = ZipCrafter()
        slip.entries = [
            .init(name: "data/ok.js", data: sample), .init(name: "../../evil.txt", data: Array("escaped\n".utf8)),
            .init(name: "data/../../../also-evil.txt", data: Array("escaped\n".utf8)),
        ]
        write("zip-slip.zip", slip.bytes())
        refused += [
            .init(file: "zip-slip.zip", entry: "../../evil.txt", rule: "archive.unsafe_path", note: "`..` leaves the root"),
            .init(file: "zip-slip.zip", entry: "data/../../../also-evil.txt", rule: "archive.unsafe_path", note: "`..` leaves the root"),
        ]
        var absolute = ZipCrafter()
        absolute.entries = [
            .init(name: "/tmp/datapunk-absolute.txt", data: Array("absolute\n".utf8)), .init(name: "data/ok.js", data: sample),
        ]
        write("absolute-path.zip", absolute.bytes())
        refused.append(
            .init(file: "absolute-path.zip", entry: "/tmp/datapunk-absolute.txt", rule: "archive.unsafe_path", note: "absolute path"))
        var links = ZipCrafter()
        links.entries = [
            .init(name: "data/link", data: Array("../../../etc/passwd".utf8), unixMode: 0o120777), .init(name: "data/ok.js", data: sample),
        ]
        write("symlink-escape.zip", links.bytes())
        refused.append(
            .init(file: "symlink-escape.zip", entry: "data/link", rule: "archive.unsafe_link", note: "symlink target leaves the root"))
        let tarPath = output + "/hardlink-escape.tar"
        do {
            let w = try ArchiveWriter(path: tarPath, format: .tar)
            try w.addFile("data/ok.js", contents: sample)
            try w.addHardlink("data/passwd", target: "../../etc/passwd")
            try w.close()
        }
        let tarBytes = Array(FileManager.default.contents(atPath: tarPath)!)
        inputs.append(
            .init(
                file: "hardlink-escape.tar", exportKind: "adversarial", user: "adversary", sha256: FileDigester.sha256(tarBytes),
                entries: []))
        refused.append(
            .init(file: "hardlink-escape.tar", entry: "data/passwd", rule: "archive.unsafe_link", note: "hardlink target leaves the root"))

        // Nesting: a zip inside a zip, six levels deep.
        var nested = ZipCrafter()
        nested.entries = [.init(name: "data/innermost.js", data: sample)]
        var level = nested.bytes()
        for depth in stride(from: 5, through: 1, by: -1) {
            var outer = ZipCrafter()
            outer.entries = [.init(name: "level\(depth + 1).zip", data: level)]
            level = outer.bytes()
        }
        write("nested-6-deep.zip", level)
        refused.append(
            .init(
                file: "nested-6-deep.zip", entry: "level2.zip/level3.zip/level4.zip/level5.zip/level6.zip", rule: "archive.nesting_limit",
                note: "the 6th level is refused (limit 5)"))

        // Bombs: by ratio (a long run of zeros, deflated by libarchive) and by declared size.
        let bombPath = output + "/ratio-bomb.zip"
        do {
            let w = try ArchiveWriter(path: bombPath, format: .zip)
            let zeros = [UInt8](repeating: 0, count: 1 << 20)
            try w.addFile("zeros.bin", repeating: zeros, times: 64)
            try w.close()
        }
        let bombBytes = Array(FileManager.default.contents(atPath: bombPath)!)
        inputs.append(
            .init(file: "ratio-bomb.zip", exportKind: "adversarial", user: "adversary", sha256: FileDigester.sha256(bombBytes), entries: [])
        )
        refused.append(
            .init(file: "ratio-bomb.zip", entry: "zeros.bin", rule: "archive.ratio_limit", note: "64 MiB of zeros, ratio about 1000:1"))
        var declared = ZipCrafter()
        declared.entries = [.init(name: "huge.json", data: Array("{}".utf8), declaredSize: 4_000_000_000)]
        write("declared-size-bomb.zip", declared.bytes())
        refused.append(
            .init(file: "declared-size-bomb.zip", entry: "huge.json", rule: "archive.declared_size", note: "claims 4 GB, holds 2 bytes"))

        // Encryption flag without a password, a bad CRC, truncations.
        var encrypted = ZipCrafter()
        encrypted.entries = [.init(name: "data/secret.js", data: [UInt8](repeating: 0xA5, count: 64), encryptedFlag: true)]
        write("encrypted.zip", encrypted.bytes())
        refused.append(
            .init(file: "encrypted.zip", entry: "data/secret.js", rule: "archive.encrypted", note: "encrypted entry and no --password-file")
        )
        var badCRC = ZipCrafter()
        badCRC.entries = [.init(name: "data/tweets.js", data: sample, crcOverride: 0xDEAD_BEEF), .init(name: "data/ok.js", data: sample)]
        write("bad-crc.zip", badCRC.bytes())
        refused.append(.init(file: "bad-crc.zip", entry: "data/tweets.js", rule: "archive.entry_corrupt", note: "CRC-32 does not match"))
        let good = ZipCrafter(entries: [.init(name: "data/tweets.js", data: sample), .init(name: "data/more.js", data: sample)]).bytes()
        write("truncated.zip", Array(good.prefix(good.count / 2)))
        // The cut falls inside the second entry: the first loads, the second is refused by name.
        refused.append(
            .init(file: "truncated.zip", entry: "data/more.js", rule: "archive.entry_corrupt", note: "cut in half, inside this entry"))
        let tgzPath = output + "/.full.tgz"
        do {
            let w = try ArchiveWriter(path: tgzPath, format: .tarGzip)
            try w.addFile("data/tweets.js", contents: sample + [UInt8](repeating: 0x20, count: 4096))
            try w.close()
        }
        let tgz = Array(FileManager.default.contents(atPath: tgzPath)!)
        try? FileManager.default.removeItem(atPath: tgzPath)
        write("truncated.tar.gz", Array(tgz.prefix(tgz.count * 2 / 3)))
        refused.append(.init(file: "truncated.tar.gz", entry: nil, rule: "archive.corrupt", note: "gzip stream cut"))

        // Content cases inside one otherwise valid zip.
        var contents = ZipCrafter()
        var findings: [Refusal] = []
        func add(_ name: String, _ data: [UInt8], rule: String?, note: String, finding: Bool = false) {
            contents.entries.append(.init(name: name, data: data))
            guard let rule else { return }
            let r = Refusal(file: "adversarial-contents.zip", entry: name, rule: rule, note: note)
            if finding { findings.append(r) } else { refused.append(r) }
        }
        add("data/ok.js", sample, rule: nil, note: "valid; must still load")
        add("eicar.com.txt", Array(Self.eicar.utf8), rule: "security.malware_signature", note: "the EICAR test string")
        add(
            "photo.json", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + [UInt8](repeating: 0, count: 32),
            rule: "detection.extension_mismatch", note: "PNG bytes named .json")
        add("notes.csv", slip.bytes(), rule: "detection.extension_mismatch", note: "a zip named .csv")
        add(
            "broken-utf8.json", Array("{\"name\": \"".utf8) + [0xC3, 0x28, 0xFF] + Array("\"}".utf8), rule: "json.invalid_utf8",
            note: "invalid UTF-8 in a string")
        // Under Takeout/ so it is parsed (as Takeout JSON): transcoded, never read as UTF-8.
        add(
            "Takeout/utf16.json", [0xFF, 0xFE] + Array("{\"a\": \"é\"}".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }, rule: nil,
            note: "UTF-16LE with BOM: transcoded to UTF-8 and loaded")
        // The design's depth of 10 is reported, not refused; the safety limit (256) refuses.
        add(
            "deep.json", Array((String(repeating: "[", count: 11) + String(repeating: "]", count: 11)).utf8),
            rule: "json.depth_over_design",
            note: "11 levels, over the design's 10: loaded, reported", finding: true)
        add(
            "deeper-than-safe.json", Array((String(repeating: "[", count: 300) + String(repeating: "]", count: 300)).utf8),
            rule: "json.depth_limit", note: "300 levels, over the safety limit of 256")
        let latin1: [UInt8] = Array("name;amount\n".utf8) + [0x4A, 0xF6, 0x72, 0x67] + Array(";1.234,50\n".utf8)
        add("semicolon-latin1.csv", latin1, rule: nil, note: "semicolon dialect, ISO-8859-1, locale decimal")
        add(
            "tab-utf16.csv", [0xFF, 0xFE] + Array("a\tb\r\n1\t2\r\n".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }, rule: nil,
            note: "tab dialect, UTF-16LE with BOM, CRLF")
        add("pipe-crlf.csv", Array("a|b\r\n\"x|y\"|2\r\n".utf8), rule: nil, note: "pipe dialect, quoted delimiter, CRLF")
        // JSON past 100 MB only at scales that can afford it.
        if targetBytes >= 256 << 20 {
            let big = Array("[".utf8) + [UInt8](repeating: 0x20, count: (100 << 20) + 1024) + Array("]".utf8)
            add("over-100MB.json", big, rule: "json.size_over_design", note: "a JSON file over 100 MiB: loaded, reported", finding: true)
        }
        write("adversarial-contents.zip", contents.bytes())
        _ = rng.next()
        return ProfileResult(inputs: inputs, users: ["adversary"], refused: refused, findings: findings)
    }
}
