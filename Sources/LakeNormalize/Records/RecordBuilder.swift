import LakeCore
import LakeParsers

/// The context every mapper needs to turn raw records of one file into canonical ones.
public struct RecordContext: Sendable {
    public var input: String
    public var inputSHA256: String { didSet { idPrefix = RecordIDPrefix(inputSHA256: inputSHA256, path: path) } }
    public var path: String { didSet { idPrefix = RecordIDPrefix(inputSHA256: inputSHA256, path: path) } }
    /// The hashing every record id of this file starts with (`Identity.recordID`).
    private var idPrefix: RecordIDPrefix
    public var user: String
    public var shards: [Int]

    public init(input: String, inputSHA256: String, path: String, user: String, ring: ShardRing) {
        self.input = input
        self.inputSHA256 = inputSHA256
        self.path = path
        self.user = user
        self.shards = ring.shards(for: user)
        idPrefix = RecordIDPrefix(inputSHA256: inputSHA256, path: path)
    }

    /// Assembles a record: id from source position and content hash, partition from the time.
    /// The content hash is that of the raw JSON element.
    public func record(
        index: Int, raw: JSONValue, exportKind: String, recordKind: String, category: String, time: Timestamp?,
        language: String?, languageMethod: String?, data: JSONValue, entities: [LakeRecord.Entity],
        lineage: [LakeRecord.LineageStep]
    ) -> LakeRecord {
        record(
            index: index, contentHash: Identity.contentHash(raw), exportKind: exportKind, recordKind: recordKind, category: category,
            time: time, language: language, languageMethod: languageMethod, data: data, entities: entities, lineage: lineage)
    }

    /// Assembles a record whose raw form is not JSON (a mail message): the caller hashes it.
    public func record(
        index: Int, contentHash: String, exportKind: String, recordKind: String, category: String, time: Timestamp?,
        language: String?, languageMethod: String?, data: JSONValue, entities: [LakeRecord.Entity],
        lineage: [LakeRecord.LineageStep]
    ) -> LakeRecord {
        LakeRecord(
            id: idPrefix.id(index: index, user: user, contentHash: contentHash),
            source: .init(input: input, inputSHA256: inputSHA256, path: path, index: index),
            exportKind: exportKind, recordKind: recordKind, occurredAt: time?.iso8601, sourceOffset: time?.offsetText,
            user: user, partition: time?.partition ?? "undated", shards: shards, category: category, language: language,
            languageMethod: languageMethod, data: data, pii: [], entities: entities, lineage: lineage,
            contentHash: contentHash)
    }
}
