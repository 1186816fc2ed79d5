import Foundation
import LakeCore
import LakeIngest
import LakeStore

/// Watches committed chunks against the alert thresholds (DESIGN.md's thresholds table:
/// error rate 5%, processing delay 5 minutes, resource use 80%) and posts a JSON alert to a
/// webhook through libcurl when one is crossed: at most one alert per kind and file.
///
/// Alert document (canonical JSON): `alert` (`error_rate`, `processing_delay`,
/// `resource_use`), `job`, `input`, `entry`, `chunk`, `value`, `threshold`, `at` (UTC).
final class AlertMonitor {
    let webhook: Webhook
    let settings: RunSettings
    private var sent: Set<String> = []
    /// Alerts posted (for the summary) and failures to post them (reported, never fatal).
    private(set) var posted: [JSONValue] = []
    private(set) var failures: [LakeError] = []

    init(webhook: Webhook, settings: RunSettings) {
        self.webhook = webhook
        self.settings = settings
    }

    /// Total memory of the machine in KiB (MemTotal in /proc/meminfo), for the resource share.
    static let memoryKiB: Int64? = ProcessMetrics.number(after: "MemTotal:", inFile: "/proc/meminfo")

    func check(job: String, chunk m: Lake.ChunkMetrics, usage: ProcessMetrics) {
        var found: [(String, Double, Double)] = []
        if m.errorRate > settings.alertErrorRate { found.append(("error_rate", m.errorRate, settings.alertErrorRate)) }
        let seconds = m.durationMillis / 1000
        if seconds > Double(settings.alertDelaySeconds) { found.append(("processing_delay", seconds, Double(settings.alertDelaySeconds))) }
        if let rss = usage.residentKiB, let total = Self.memoryKiB, total > 0 {
            let share = Double(rss) / Double(total)
            if share > settings.alertResourceUse { found.append(("resource_use", share, settings.alertResourceUse)) }
        }
        for (kind, value, threshold) in found where sent.insert("\(kind)|\(m.input)|\(m.path)").inserted {
            let alert: JSONValue = .object([
                .init("alert", .string(kind)), .init("job", .string(job)), .init("input", .string(m.input)),
                .init("entry", .string(m.path)),
                .init("chunk", .number(String(m.chunk))), .init("value", .number(String(format: "%.6f", value))),
                .init("threshold", .number(String(format: "%.6f", threshold))), .init("at", .string(Lake.now())),
            ])
            do {
                try webhook.post(CanonicalJSON.encode(alert))
                posted.append(alert)
            } catch let e as LakeError {
                failures.append(e)
            } catch {
                failures.append(LakeError(.alertWebhookFailed, scope: .internal, input: webhook.url, message: "\(error)"))
            }
        }
    }
}
