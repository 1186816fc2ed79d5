import ArgumentParser
import Foundation
import LakeCore
import LakePipeline
import LakeStore

extension Datapunk {
    struct Metrics: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the lake's metrics in the Prometheus text format.",
            discussion: "Jobs by state, records, files by status, errors by rule, and totals over the committed chunks (bytes, time, failures, peak memory).")

        @Option(help: "The lake folder.")
        var lake: String = "./lake"

        func run() throws {
            let text: String
            do { text = try PrometheusMetrics.text(lake: Lake(directory: lake, create: false)) } catch { throw ExitStatus.fail(error) }
            let out = StandardOutput()
            out.write(text)
            do { try out.flush() } catch { throw ExitStatus.fail(error) }
        }
    }
}
