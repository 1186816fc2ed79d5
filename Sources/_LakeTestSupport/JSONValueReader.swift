import LakeCore
import LakeParsers

/// Parses JSON for test assertions (the project's own reader, whole-buffer path).
public enum JSONValueReader {
    public static func parse(_ bytes: [UInt8]) throws -> JSONValue {
        try JSONReader.parse(bytes, limits: JSONLimits(maxDepth: 64))
    }
}
