import ArgumentParser
import Foundation
import LakeCore
import LakePipeline
import LakeParsers
import LakeStore

extension Datapunk {
    struct Resume: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Continue an unfinished ingest job from its last checkpoint.",
            discussion: """
                The job's inputs are read again from where they were given (their SHA-256 must \
                still match) with the job's configuration; entries already loaded are skipped and \
                a partly loaded entry continues after its last committed chunk. Same as running \
                the same `datapunk ingest` again.
                """)

        @Argument(help: "The job id (see `datapunk jobs`).")
        var job: String?

        @Flag(help: "Run every queued job instead, most urgent first (critical, high, normal, low; then oldest).")
        var queued = false

        @OptionGroup var lake: LakeOptions

        @OptionGroup var how: RunOptions

        func validate() throws {
            if (job == nil) == !queued { throw ValidationError("give a job id or --queued") }
        }

        func run() throws {
            guard queued else { return try resume(job!) }
            // The queue is read again after each job, so a more urgent job queued meanwhile goes next.
            // A job that ends with rejected items or is refused does not stop the queue; the exit
            // status is the worst of the jobs'.
            var done: Set<String> = []
            var worst: Int32 = 0
            while true {
                let next: String?
                next = try reporting { try lake.open().queuedJobs().first { !done.contains($0) } }
                guard let next else { break }
                done.insert(next)
                do { try resume(next) } catch let e as ExitCode where e.rawValue != ExitStatus.internalError {
                    worst = max(worst, e.rawValue)
                }
            }
            if worst != 0 { throw ExitCode(worst) }
        }

        func resume(_ job: String) throws {
            let definition = try reporting { try lake.open().jobDefinition(job) }
            guard let definition else {
                throw ExitStatus.fail(LakeError(.jobNotFound, scope: .usage, input: job, message: "no such job in \(lake.lake)"))
            }
            var options = IngestOptions()
            options.lakeDirectory = lake.lake
            let stored = (try? JSONReader.parse(Array(definition.configuration.utf8))) ?? .object([])
            options.thresholds.apply(configuration: stored)
            options.user = stored["user"]?.stringValue
            how.apply(to: &options)
            let inputs = (try? JSONReader.parse(Array(definition.inputs.utf8)))?.arrayValue ?? []
            let paths = inputs.compactMap { $0["path"]?.stringValue }
            guard !paths.isEmpty, paths.count == inputs.count else {
                throw ExitStatus.fail(
                    LakeError(
                        .jobNotResumable, scope: .usage, input: job,
                        message: "the job does not record where its inputs came from (made by an older datapunk); run the same ingest again"
                    ))
            }
            options.expectedJobID = job
            try Ingest.report(IngestJob(options: options), inputs: paths)
        }
    }
}
