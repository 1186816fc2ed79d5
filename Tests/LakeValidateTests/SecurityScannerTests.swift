import Foundation
import LakeCore
import LakeIngest
import LakeValidate
import Testing
import _LakeTestSupport

/// The security scan's rules on real bytes: each kind of file they are for, the same bytes
/// where they are harmless, a user's own rules, and every file of the corpus (clean but for
/// the adversarial profile's EICAR entry).
@Suite struct SecurityScannerTests {
    static let scanner: SecurityScanner = try! SecurityScanner()

    /// Built from two halves, so this source file is not itself the test file.
    static let eicar = Array(("X5O!P%@AP[4\\PZX54(P^)7CC)" + "7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*").utf8)

    static func rules(_ bytes: [UInt8], _ path: String) throws -> [String] { try scanner.scan(bytes, path: path).map(\.rule) }

    @Test func theBuiltInRulesCompile() {
        #expect(Self.scanner.ruleCount >= 12)
        #expect(
            Self.scanner.ruleFiles.map { ($0 as NSString).lastPathComponent }
                == ["disguised.yar", "eicar.yar", "html_scripts.yar", "office_macros.yar"])
    }

    @Test func eicar() throws {
        #expect(try Self.rules(Self.eicar, "eicar.com.txt") == ["eicar:eicar_test_file"])
        #expect(try Self.rules(Self.eicar + Array("\r\n".utf8), "anything") == ["eicar:eicar_test_file"])
        // Not at the start, or inside a larger file: not the test file (eicar.org's definition).
        #expect(try Self.rules(Array("note: ".utf8) + Self.eicar, "x.txt").isEmpty)
        #expect(try Self.rules(Self.eicar + [UInt8](repeating: 0x41, count: 200), "x.txt").isEmpty)
    }

    /// A real ELF (this machine's /bin/true) as a photo is caught; under its own name it is not.
    @Test func executablesUnderADataExtension() throws {
        let elf = TestPaths.read("/bin/true")
        #expect(try Self.rules(elf, "Takeout/Google Photos/IMG_0001.jpg") == ["disguised:elf_executable_disguised"])
        #expect(try Self.rules(elf, "tools/true").isEmpty)
        var pe = [UInt8](repeating: 0, count: 0x80)
        pe[0] = 0x4D
        pe[1] = 0x5A
        pe[0x3C] = 0x40
        pe.replaceSubrange(0x40..<0x44, with: [0x50, 0x45, 0, 0])
        #expect(try Self.rules(pe, "data/tweets.json") == ["disguised:pe_executable_disguised"])
        #expect(try Self.rules(pe, "setup.exe").isEmpty)
        let macho: [UInt8] = [0xCF, 0xFA, 0xED, 0xFE] + [UInt8](repeating: 0, count: 28)
        #expect(try Self.rules(macho, "notes.csv") == ["disguised:macho_executable_disguised"])
    }

    @Test func scriptsUnderADataExtension() throws {
        #expect(try Self.rules(Array("#!/bin/sh\ncurl x | sh\n".utf8), "notes.txt") == ["disguised:shell_script_disguised"])
        #expect(try Self.rules(Array("#!/bin/sh\necho hi\n".utf8), "install.sh").isEmpty)
        let ps = "powershell -nop -w hidden -enc SQBFAFgAKABOAGUAdwAtAE8AYgBqAGUAYwB0ACAATgBlAHQA"
        #expect(try Self.rules(Array(ps.utf8), "photo.jpg") == ["disguised:powershell_disguised"])
        // A mail that talks about PowerShell is no PowerShell command.
        let mail =
            "From a@b Mon Jan 1 00:00:00 2024\nSubject: scripts\n\n" + String(repeating: "text ", count: 300) + "I ran powershell today."
        #expect(try Self.rules(Array(mail.utf8), "Takeout/Mail/All mail.mbox").isEmpty)
        let vbs = "Set s = CreateObject(\"WScript.Shell\")\ns.Run \"cmd\""
        #expect(try Self.rules(Array(vbs.utf8), "contacts.vcf") == ["disguised:windows_script_host_disguised"])
        #expect(try Self.rules(Array("<html><HTA:APPLICATION id=x>".utf8), "page.html").contains("disguised:hta_application"))
    }

    /// A macro-enabled document written by libarchive: its zip directory names vbaProject.bin.
    @Test func officeMacros() throws {
        let dir = TestPaths.scratch("macro")
        defer { TestPaths.remove(dir) }
        for (name, withMacro) in [("report.docm", true), ("report.docx", false)] {
            let w = try ArchiveWriter(path: dir + "/" + name, format: .zip)
            try w.addFile("[Content_Types].xml", contents: Array("<Types/>".utf8))
            try w.addFile("word/document.xml", contents: Array("<w:document/>".utf8))
            if withMacro { try w.addFile("word/vbaProject.bin", contents: [0xD0, 0xCF, 0x11, 0xE0] + [UInt8](repeating: 1, count: 60)) }
            try w.close()
            let found = try Self.rules(TestPaths.read(dir + "/" + name), "Drive/" + name)
            #expect(found == (withMacro ? ["office_macros:office_macro_ooxml"] : []), "\(name)")
        }
        let ole: [UInt8] =
            [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 64)
            + Array("_VBA_PROJECT".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] } + [0, 0]
        #expect(try Self.rules(ole, "old.doc") == ["office_macros:office_macro_ole"])
        #expect(try Self.rules(Array(ole.prefix(72)), "old.doc").isEmpty)
    }

    @Test func htmlThatRunsScript() throws {
        let page = Array("<html><body onload=\"go()\"><p>hi</p></body></html>".utf8)
        #expect(try Self.rules(page, "Takeout/My Activity/Search/MyActivity.html") == ["html_scripts:html_script_in_export"])
        #expect(
            try Self.rules(Array("<div><script>x()</script>".utf8), "messages/inbox/a/message_1.html") == [
                "html_scripts:html_script_in_export"
            ])
        // Twitter's archive viewer is script by design.
        #expect(try Self.rules(Array("<script src=x></script>".utf8), "twitter-2024/Your archive.html").isEmpty)
        #expect(try Self.rules(Array("<script src=x></script>".utf8), "assets/js/main.html").isEmpty)
        #expect(try Self.rules(Array("<p>onload is a word</p>".utf8), "a.html").isEmpty)
    }

    /// `--rules DIR`: a user's rule is compiled with the built-in ones; a broken file is a
    /// usage error naming its file and line.
    @Test func aUsersOwnRules() throws {
        let dir = TestPaths.scratch("rules")
        defer { TestPaths.remove(dir) }
        try FileManager.default.createDirectory(atPath: dir + "/mine", withIntermediateDirectories: true)
        try Data("rule secret_marker { strings: $m = \"TOP-SECRET-42\" condition: $m }\n".utf8).write(
            to: URL(fileURLWithPath: dir + "/mine/corp.yar"))
        let scanner = try SecurityScanner(userRuleFolders: [dir + "/mine"])
        #expect(try scanner.scan(Array("x TOP-SECRET-42 y".utf8), path: "a.txt").map(\.rule) == ["corp:secret_marker"])
        #expect(try scanner.scan(Self.eicar, path: "e.txt").map(\.rule) == ["eicar:eicar_test_file"])
        try Data("rule broken {\n condition: nosuchthing\n}\n".utf8).write(to: URL(fileURLWithPath: dir + "/mine/zz-broken.yar"))
        let refused = #expect(throws: LakeError.self) { try SecurityScanner(userRuleFolders: [dir + "/mine"]) }
        #expect(refused?.rule == .securityRulesInvalid && refused?.scope == .usage)
        #expect(refused?.message.contains("zz-broken.yar:2") == true, "\(String(describing: refused?.message))")
        #expect(throws: LakeError.self) { try SecurityScanner(userRuleFolders: [dir + "/missing"]) }
    }

    /// No false alarm on the corpus: every file and every archive entry of Corpus/ scans clean,
    /// except the adversarial profile's EICAR entry, which is the only match.
    @Test func theCorpusScansClean() throws {
        var matches: [String] = []
        var scanned = 0
        for relative in TestPaths.listFiles(TestPaths.corpus) where !relative.hasPrefix("fuzz/") && !relative.hasPrefix("conformance/") {
            let file = TestPaths.corpus + "/" + relative
            let bytes = TestPaths.read(file)
            scanned += 1
            for m in try Self.scanner.scan(bytes, path: file) { matches.append("\(file): \(m.rule)") }
            guard file.hasSuffix(".zip") || file.hasSuffix(".tgz") || file.hasSuffix(".tar.gz"),
                let reader = try? ArchiveReader(path: file)
            else { continue }
            while let entry = try? reader.nextEntry() {
                var data: [UInt8] = []
                while let chunk = try? reader.readChunk() { data += chunk }
                scanned += 1
                for m in try Self.scanner.scan(data, path: entry.path) { matches.append("\(file)!\(entry.path): \(m.rule)") }
                if reader.failed { break }
            }
        }
        #expect(scanned >= 200, "\(scanned)")
        #expect(
            matches.count == 1 && matches.first?.hasSuffix("adversarial-contents.zip!eicar.com.txt: eicar:eicar_test_file") == true,
            "\(matches)")
    }
}
