import LakeCore

/// The elements of a JSON export file, one at a time, without holding the file (docs/SPEC.md
/// 5.6): a top-level array gives its elements; a top-level object gives the elements of each
/// member whose value is an array (in file order, each with the member's key as its
/// collection), and then, when there are others, one element holding the object's other
/// members (collection nil). A top-level scalar is one element. Indexes count from 0 across
/// the whole file. An element of an array past a per-record safety limit comes with its
/// `problem` and the stream goes on.
///
/// ```swift
/// let stream = JSONRecordStream(reader: JSONReader(source: next))
/// try stream.forEach { index, element in print(element.collection, element.value) }
/// ```
public final class JSONRecordStream {
    public struct Element: Sendable, Equatable {
        /// The top-level member the element came from, or nil.
        public var collection: String?
        public var value: JSONValue
        /// True for the element that gathers a top-level object's other members.
        public var isRemainder: Bool
        /// Set for an element past a per-record safety limit: skipped (its `value` is null),
        /// the stream goes on (`JSONReader.readElement`).
        public var problem: JSONError?
        /// With `rawElements`: the bytes of an element that lay whole in one block, already
        /// checked under the reader's limits, with the tape the check made, for a worker to load
        /// (`JSONTape.load`); `value` is then null and not the element's value.
        public var raw: CheckedJSON?

        public init(
            collection: String?, value: JSONValue, isRemainder: Bool = false, problem: JSONError? = nil, raw: CheckedJSON? = nil
        ) {
            self.collection = collection
            self.value = value
            self.isRemainder = isRemainder
            self.problem = problem
            self.raw = raw
        }
    }

    public let reader: JSONReader
    /// Only these top-level members' arrays are streamed; other members are gathered (nil: every array).
    public let collections: Set<String>?

    /// Array elements come as their checked bytes (`Element.raw`) where they can, not as values.
    public let rawElements: Bool

    public init(reader: JSONReader, collections: Set<String>? = nil, rawElements: Bool = false) {
        self.reader = reader
        self.collections = collections
        self.rawElements = rawElements
    }

    public func forEach(_ body: (Int, Element) throws -> Void) throws {
        var index = 0
        let first = try reader.next()
        switch first {
        case .beginArray:
            try elements(collection: nil, &index, body)
        case .beginObject:
            var rest: [JSONMember] = []
            while true {
                let token = try reader.next()
                if token == .endObject { break }
                guard case .key(let key) = token else { preconditionFailure("the reader gives keys inside objects") }
                let valueStart = try reader.next()
                if valueStart == .beginArray, collections?.contains(key) ?? true {
                    try elements(collection: key, &index, body)
                } else {
                    rest.append(.init(key, try reader.readValue(first: valueStart)))
                }
            }
            if !rest.isEmpty {
                try body(index, Element(collection: nil, value: .object(rest), isRemainder: true))
                index += 1
            }
        default:
            try body(index, Element(collection: nil, value: try reader.readValue(first: first)))
        }
        let end = try reader.next()
        precondition(end == .end, "reader returns .end or throws after the top-level value")
    }

    private func elements(collection: String?, _ index: inout Int, _ body: (Int, Element) throws -> Void) throws {
        while true {
            // Raw or built, one attempt through the tape: where it gives nil the pull parser reads.
            if rawElements {
                if let raw = try reader.nextElementBytes() {
                    try body(index, Element(collection: collection, value: .null, raw: raw))
                    index += 1
                    continue
                }
            } else if let value = try reader.nextElementFast() {
                try body(index, Element(collection: collection, value: value))
                index += 1
                continue
            }
            let token = try reader.next()
            if token == .endArray { break }
            switch try reader.readElement(first: token) {
            case .success(let value): try body(index, Element(collection: collection, value: value))
            case .failure(let problem): try body(index, Element(collection: collection, value: .null, problem: problem))
            }
            index += 1
        }
    }
}
