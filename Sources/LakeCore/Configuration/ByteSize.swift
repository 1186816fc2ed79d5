/// Sizes as people write them on a command line: `512KB`, `10MB`, `1GB` (binary units, any
/// case) or a plain number of bytes. Zero and negative sizes are not sizes.
public enum ByteSize {
    public static func parse(_ text: String) -> Int64? {
        let upper = text.uppercased()
        let units: [(String, Int64)] = [("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10), ("B", 1)]
        for (suffix, factor) in units where upper.hasSuffix(suffix) {
            guard let n = Int64(upper.dropLast(suffix.count)), n > 0, n <= Int64.max / factor else { return nil }
            return n * factor
        }
        return Int64(upper).flatMap { $0 > 0 ? $0 : nil }
    }
}
