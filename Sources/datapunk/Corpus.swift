import ArgumentParser
import Foundation
import LakeCore
import LakeCorpus

extension Datapunk {
    struct Corpus: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Synthetic exports with their answer key.",
            subcommands: [Generate.self, Score.self])

        struct Generate: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Generate a synthetic export corpus and its manifest.json (the ground truth).",
                discussion: """
                    Profiles: \(CorpusGenerator.profiles.joined(separator: ", ")). The same profile, seed and scale give \
                    byte-identical files on any machine.
                    """)

            @Option(help: "The profile.")
            var profile: String = "twitter"

            @Option(help: "The seed (any unsigned 64-bit number).")
            var seed: UInt64 = 1

            @Option(help: "Approximate size of the corpus: 512KB, 10MB, 1GB.")
            var scale: String = "1MB"

            @Option(help: "The folder to write (created if missing).")
            var output: String

            func validate() throws {
                var isFolder: ObjCBool = false
                if output.isEmpty || (FileManager.default.fileExists(atPath: output, isDirectory: &isFolder) && !isFolder.boolValue) {
                    throw ValidationError("--output must be a folder (it is created if missing)")
                }
            }

            func run() throws {
                let manifest: CorpusManifest
                let started = DispatchTime.now().uptimeNanoseconds
                do {
                    manifest = try CorpusGenerator.generate(profile: profile, seed: seed, scale: scale, output: output)
                } catch let error as NSError where error.domain == NSCocoaErrorDomain || error.domain == NSPOSIXErrorDomain {
                    // The file system said no (full, read-only, a file in the way): not a bug.
                    throw ExitStatus.fail(
                        LakeError(
                            .outputWrite, scope: .input, input: output, message: "cannot write the corpus: \(error.localizedDescription)"))
                } catch {
                    throw ExitStatus.fail(error)
                }
                for input in manifest.inputs {
                    let records = input.entries.reduce(0) { $0 + $1.records }
                    print("\(input.file): \(input.exportKind), user \(input.user), \(input.entries.count) data files, \(records) records")
                }
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
                let mib = Double(manifest.contentBytes) / 1_048_576
                print(
                    "generated \(manifest.contentBytes) bytes of export files in \(String(format: "%.2f", seconds)) s (\(String(format: "%.1f", mib / max(seconds, 1e-9))) MiB/s)"
                )
                print(
                    "manifest.json: \(manifest.piiCount) planted PII values, \(manifest.duplicateCount) planted duplicates, \(manifest.refused.count) refusals expected"
                )
            }
        }
    }
}
