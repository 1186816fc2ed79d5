import ArgumentParser
import Foundation
import LakeCore
import LakePipeline
import LakeStore

extension Datapunk {
    struct Metrics: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the lake's metrics in the Prometheus text format.",
            discussion:
                "Jobs by state, records, files by status, errors by rule, and totals over the committed chunks (bytes, time, failures, peak memory)."
        )

        @OptionGroup var lake: LakeOptions

        func run() throws {
            let text: String
            text = try reporting { try PrometheusMetrics.text(lake: lake.open()) }
            let out = StandardOutput()
            out.write(text)
            try reporting { try out.flush() }
        }
    }
}
