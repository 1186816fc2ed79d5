import LakeCore
import LakeParsers

/// The Facebook families' mappers (docs/SPEC.md 5.6).
extension Mapped {
    // MARK: Facebook

    mutating func facebookCommon(_ o: JSONValue, kind: String, category: String, index: Int) throws {
        standardize(o, kind: kind)
        self.category = category
        try setTime(Self.number(o["timestamp"]), Self.epoch(.seconds), index: index)
    }

    /// Posts: `timestamp` (epoch seconds), `data[].post`, `attachments`, `title`.
    mutating func facebookPost(_ index: Int) throws {
        let o = try object(index)
        try facebookCommon(o, kind: "post", category: "social", index: index)
        for d in data["data"]?.arrayValue ?? [] { textEntities([d["post"]?.stringValue]) }
        let posts = (data["data"]?.arrayValue ?? []).compactMap { $0["post"]?.stringValue }
        languageText = posts.isEmpty ? nil : posts.joined(separator: "\n")
        for a in data["attachments"]?.arrayValue ?? [] {
            for d in a["data"]?.arrayValue ?? [] {
                if let c = d["place"]?["coordinate"], let lat = Self.micro(c["latitude"]),
                    let lng = Self.micro(c["longitude"])
                {
                    addGeo(GeoPoint(latMicro: lat, lngMicro: lng))
                }
                if let url = d["external_context"]?["url"]?.stringValue {
                    entities.append(.init(kind: "url", value: url, method: "source"))
                }
            }
        }
        finishEntities()
    }

    /// Comments: `{"timestamp", "data": [{"comment": {"comment", "author"}}], "title"}`. The
    /// post's owner is read from the title (`X commented on Y's post.`): relationship
    /// `comment_on`, method `text`, confidence 0.8.
    mutating func facebookComment(_ index: Int) throws {
        let o = try object(index)
        try facebookCommon(o, kind: "comment", category: "social", index: index)
        for d in data["data"]?.arrayValue ?? [] {
            textEntities([d["comment"]?["comment"]?.stringValue])
            languageText = d["comment"]?["comment"]?.stringValue ?? languageText
            if let author = d["comment"]?["author"]?.stringValue { entities.append(.init(kind: "person", value: author, method: "source")) }
        }
        if let title = data["title"]?.stringValue, let target = Self.ownerInTitle(title, verb: " commented on ") {
            relationships.append(.init(type: "comment_on", target: target, confidence: "0.8", method: "text"))
            lineage.append(.init("enrich.relationships", version: ExportMapper.version))
        }
        finishEntities()
    }

    /// "A commented on B's post." → "B's post"; nil when the title does not read so.
    static func ownerInTitle(_ title: String, verb: String) -> String? {
        guard let r = PlainSearch.firstRange(of: verb, in: title) else { return nil }
        var rest = String(title[r.upperBound...])
        if rest.hasSuffix(".") { rest = String(rest.dropLast()) }
        return PlainSearch.contains("'s ", in: rest) || PlainSearch.contains("’s ", in: rest) ? rest : nil
    }

    /// Reactions: `{"timestamp", "data": [{"reaction": {"reaction", "actor"}}], "title"}`.
    mutating func facebookReaction(_ index: Int) throws {
        let o = try object(index)
        try facebookCommon(o, kind: "reaction", category: "social", index: index)
        for d in data["data"]?.arrayValue ?? [] {
            if let actor = d["reaction"]?["actor"]?.stringValue { entities.append(.init(kind: "person", value: actor, method: "source")) }
        }
        if let title = data["title"]?.stringValue,
            let target = Self.ownerInTitle(title, verb: " likes ") ?? Self.ownerInTitle(title, verb: " reacted to ")
        {
            relationships.append(.init(type: "reaction_to", target: target, confidence: "0.8", method: "text"))
            lineage.append(.init("enrich.relationships", version: ExportMapper.version))
        }
        finishEntities()
    }

    /// Friends: `{"name", "timestamp"}`.
    mutating func facebookFriend(_ index: Int) throws {
        let o = try object(index)
        try facebookCommon(o, kind: "friend", category: "social", index: index)
        if let name = data["name"]?.stringValue { entities.append(.init(kind: "person", value: name, method: "source")) }
        finishEntities()
    }

    /// A message of a thread file: `sender_name`, `timestamp_ms`, `content`, media lists.
    /// Relationship `in_thread` to the thread's folder (`messages/inbox/<name>_<id>`), method `path`.
    mutating func facebookMessage(path: String, _ index: Int) throws {
        let o = try object(index)
        standardize(o, kind: "message")
        category = "communication"
        try setTime(Self.number(o["timestamp_ms"]), Self.epoch(.milliseconds), index: index)
        if let sender = data["sender_name"]?.stringValue { entities.append(.init(kind: "person", value: sender, method: "participant")) }
        textEntities([data["content"]?.stringValue])
        languageText = data["content"]?.stringValue
        if let thread = Self.thread(path: path) {
            relationships.append(thread)
            lineage.append(.init("enrich.relationships", version: ExportMapper.version))
        }
        finishEntities()
    }

    /// A message's `in_thread` relationship: the folder of its file from `messages/` on
    /// (`inbox/<name>_<id>`); nil for a file outside a `messages/` folder.
    static func thread(path: String) -> LakeRecord.Relationship? {
        let thread = path.split(separator: "/").dropLast().joined(separator: "/")
        guard let m = PlainSearch.firstRange(of: "messages/", in: thread) else { return nil }
        return .init(type: "in_thread", target: String(thread[m.upperBound...]), confidence: "1", method: "path")
    }
}
