import LakeCore
import LakeParsers

extension Standardize {
    /// `tapeRules` after Facebook's mojibake repair (`Mapped.standardize` repairs every string
    /// and key first): a string `Mojibake.repair` changes is cleansed as repaired. Keys are
    /// unchanged: the key rule takes ASCII keys only, which the repair leaves alone.
    public static let facebookTapeRules: JSONTapeCanonical.Rules = {
        var rules = tapeRules
        rules.string = { bytes, out in
            if let repaired = Mojibake.repaired(utf8: bytes) { return cleanedInNFC(repaired, &out) }
            return tapeString(bytes, &out)
        }
        return rules
    }()
}

// The tape mappers of the Facebook families (docs/SPEC.md 7.1, "Records from the tape"); each
// is its `Mapped` counterpart in ExportMapper+Facebook.swift read from the tape. What those read
// from the standardized `data` is found here by the key snake_case gives (`dataMembers`), its
// text repaired and cleansed (`facebookText`); what they read from the source object (the
// times) by the key as written.
extension ExportMapper {
    /// The lineage every standardized Facebook record starts with (`Mapped.standardize`).
    static func facebookLineage(_ kind: String) -> [LakeRecord.LineageStep] {
        [
            .init("parse.json", version: version), .init("map.facebook.\(kind)", version: version),
            .init("normalize.mojibake", version: Mojibake.version), .init("normalize.snake_case", version: SnakeCase.version),
            .init("normalize.text", version: TextCleansing.version),
        ]
    }
    /// What a comment's and a reaction's title says before the owner (`Mapped.facebookComment`, `facebookReaction`).
    static let commentVerbs = [" commented on "], reactionVerbs = [" likes ", " reacted to "]
    static let relationshipsStep: [LakeRecord.LineageStep] = [.init("enrich.relationships", version: version)]
    static let postLineages = lineageTable(facebookLineage("post"), optional: [timestampStep, geoStep, entitiesStep])
    static let commentLineages = lineageTable(facebookLineage("comment"), optional: [timestampStep, relationshipsStep, entitiesStep])
    static let reactionLineages = lineageTable(facebookLineage("reaction"), optional: [timestampStep, relationshipsStep, entitiesStep])
    static let friendLineages = lineageTable(facebookLineage("friend"), optional: [timestampStep, entitiesStep])
    static let messageLineages = lineageTable(facebookLineage("message"), optional: [timestampStep, relationshipsStep, entitiesStep])

    /// `Mapped.facebookPost` on the tape: the posts' text entities and language, the places'
    /// points and the attachments' URLs. Two points would each add a `geo` member: the writer
    /// gives up on the pair, and the general path maps the element.
    static func facebookPost(_ t: JSONTape, index: Int, context: RecordContext, scratch: inout TapeScratch) -> DirectRecord? {
        guard let time = facebookTime(t, unit: .seconds, scratch: &scratch) else { return nil }
        let parts = dataMembers(t, ["data", "attachments"], scratch: &scratch.bytes)
        var entities: [LakeRecord.Entity] = []
        var posts: [String] = []
        for item in TwitterMapper.elements(t, parts[0]) {
            guard let post = facebookText(t, dataMembers(t, at: item, ["post"], scratch: &scratch.bytes)[0]) else { continue }
            entities += TextEntities.find(post)
            posts.append(post)
        }
        var extra: [(key: [UInt8], value: [UInt8])] = []
        for attachment in TwitterMapper.elements(t, parts[1]) {
            for item in TwitterMapper.elements(t, dataMembers(t, at: attachment, ["data"], scratch: &scratch.bytes)[0]) {
                let found = dataMembers(t, at: item, ["place", "external_context"], scratch: &scratch.bytes)
                let coordinate = dataMembers(t, at: found[0], ["coordinate"], scratch: &scratch.bytes)[0]
                let degrees = dataMembers(t, at: coordinate, ["latitude", "longitude"], scratch: &scratch.bytes)
                if let lat = facebookMicro(t, degrees[0]), let lng = facebookMicro(t, degrees[1]) {
                    addGeo(GeoPoint(latMicro: lat, lngMicro: lng), &entities, &extra)
                }
                if let url = facebookText(t, dataMembers(t, at: found[1], ["url"], scratch: &scratch.bytes)[0]) {
                    entities.append(.init(kind: "url", value: url, method: "source"))
                }
            }
        }
        entities = unique(entities)
        let steps = (time == nil ? 0 : 1) + (extra.isEmpty ? 0 : 2) + (entities.isEmpty ? 0 : 4)
        return facebook(
            t, index: index, context: context, scratch: &scratch, kind: "post", time: time, entities: entities,
            lineage: postLineages[steps], language: posts.isEmpty ? nil : posts.joined(separator: "\n"), extra: extra)
    }

    /// `Mapped.facebookComment` on the tape: each comment's text entities and author, the last
    /// comment's language, the post's owner from the title.
    static func facebookComment(_ t: JSONTape, index: Int, context: RecordContext, scratch: inout TapeScratch) -> DirectRecord? {
        guard let time = facebookTime(t, unit: .seconds, scratch: &scratch) else { return nil }
        let parts = dataMembers(t, ["data", "title"], scratch: &scratch.bytes)
        var entities: [LakeRecord.Entity] = []
        var language: String?
        for item in TwitterMapper.elements(t, parts[0]) {
            let comment = dataMembers(t, at: item, ["comment"], scratch: &scratch.bytes)[0]
            let found = dataMembers(t, at: comment, ["comment", "author"], scratch: &scratch.bytes)
            if let text = facebookText(t, found[0]) {
                entities += TextEntities.find(text)
                language = text
            }
            if let author = facebookText(t, found[1]) { entities.append(.init(kind: "person", value: author, method: "source")) }
        }
        return facebookWithTarget(
            t, index: index, context: context, scratch: &scratch, kind: "comment", time: time, entities: entities,
            lineages: commentLineages, relationship: owner(t, title: parts[1], "comment_on", verbs: commentVerbs),
            language: language)
    }

    /// `Mapped.facebookReaction` on the tape: the actors, the owner of what was liked.
    static func facebookReaction(_ t: JSONTape, index: Int, context: RecordContext, scratch: inout TapeScratch) -> DirectRecord? {
        guard let time = facebookTime(t, unit: .seconds, scratch: &scratch) else { return nil }
        let parts = dataMembers(t, ["data", "title"], scratch: &scratch.bytes)
        var entities: [LakeRecord.Entity] = []
        for item in TwitterMapper.elements(t, parts[0]) {
            let reaction = dataMembers(t, at: item, ["reaction"], scratch: &scratch.bytes)[0]
            if let actor = facebookText(t, dataMembers(t, at: reaction, ["actor"], scratch: &scratch.bytes)[0]) {
                entities.append(.init(kind: "person", value: actor, method: "source"))
            }
        }
        return facebookWithTarget(
            t, index: index, context: context, scratch: &scratch, kind: "reaction", time: time, entities: entities,
            lineages: reactionLineages, relationship: owner(t, title: parts[1], "reaction_to", verbs: reactionVerbs),
            language: nil)
    }

    /// `Mapped.facebookFriend` on the tape: the friend's name.
    static func facebookFriend(_ t: JSONTape, index: Int, context: RecordContext, scratch: inout TapeScratch) -> DirectRecord? {
        guard let time = facebookTime(t, unit: .seconds, scratch: &scratch) else { return nil }
        var entities: [LakeRecord.Entity] = []
        if let name = facebookText(t, dataMembers(t, ["name"], scratch: &scratch.bytes)[0]) {
            entities.append(.init(kind: "person", value: name, method: "source"))
        }
        return facebook(
            t, index: index, context: context, scratch: &scratch, kind: "friend", time: time, entities: entities,
            lineage: friendLineages[(time == nil ? 0 : 1) + (entities.isEmpty ? 0 : 2)], language: nil)
    }

    /// `Mapped.facebookMessage` on the tape: `timestamp_ms`, the sender, the content's entities
    /// and language, the thread from the file's folder.
    static func facebookMessage(_ t: JSONTape, index: Int, context: RecordContext, scratch: inout TapeScratch) -> DirectRecord? {
        guard let time = facebookTime(t, name: "timestamp_ms", unit: .milliseconds, scratch: &scratch) else { return nil }
        let found = dataMembers(t, ["sender_name", "content"], scratch: &scratch.bytes)
        var entities: [LakeRecord.Entity] = []
        if let sender = facebookText(t, found[0]) { entities.append(.init(kind: "person", value: sender, method: "participant")) }
        let content = facebookText(t, found[1])
        if scratch.thread?.path != context.path { scratch.thread = (context.path, Mapped.thread(path: context.path)) }
        let thread = scratch.thread?.relationship
        if let content { entities += TextEntities.find(content) }
        return facebookWithTarget(
            t, index: index, context: context, scratch: &scratch, kind: "message", time: time, entities: entities,
            lineages: messageLineages, relationship: thread, language: content, category: "communication")
    }

    /// The relationship `type` to the owner the standardized title at token `title` names after
    /// the first of `verbs` that reads so (`Mapped.ownerInTitle`): method `text`, confidence 0.8.
    static func owner(_ t: JSONTape, title: Int, _ type: String, verbs: [String]) -> LakeRecord.Relationship? {
        guard let title = facebookText(t, title),
            let target = verbs.lazy.compactMap({ Mapped.ownerInTitle(title, verb: $0) }).first
        else { return nil }
        return .init(type: type, target: target, confidence: "0.8", method: "text")
    }

    /// The record with `relationship` when there is one; its lineage from `lineages` by the
    /// bits time (1), relationship (2) and entities (4).
    static func facebookWithTarget(
        _ t: JSONTape, index: Int, context: RecordContext, scratch: inout TapeScratch, kind: String, time: Timestamp?,
        entities: [LakeRecord.Entity], lineages: [[LakeRecord.LineageStep]], relationship: LakeRecord.Relationship?, language: String?,
        category: String = "social"
    ) -> DirectRecord? {
        let entities = unique(entities)
        let steps = (time == nil ? 0 : 1) + (relationship == nil ? 0 : 2) + (entities.isEmpty ? 0 : 4)
        var direct = facebook(
            t, index: index, context: context, scratch: &scratch, kind: kind, time: time, entities: entities, lineage: lineages[steps],
            language: language, category: category)
        if let relationship { direct?.record.relationships = [relationship] }
        return direct
    }

    /// The record of a Facebook element: its data written by `Standardize.facebookTapeRules`,
    /// the language of `language`.
    static func facebook(
        _ t: JSONTape, index: Int, context: RecordContext, scratch: inout TapeScratch, kind: String, time: Timestamp?,
        entities: [LakeRecord.Entity], lineage: [LakeRecord.LineageStep], language: String?, category: String = "social",
        extra: [(key: [UInt8], value: [UInt8])] = []
    ) -> DirectRecord? {
        var direct = direct(
            t, index: index, context: context, scratch: &scratch, kind: kind, category: category, time: time, entities: entities,
            lineage: lineage, extra: extra, exportKind: "facebook", rules: Standardize.facebookTapeRules)
        direct?.record.detectLanguage(language)
        return direct
    }

    /// The element's time (`Mapped.setTime` of the source member `name`, a number or a string of
    /// epoch `unit`s): `.some(nil)` for none, nil when it is there and does not parse (the
    /// general path reports it).
    static func facebookTime(
        _ t: JSONTape, name: StaticString = "timestamp", unit: Timestamp.EpochUnit, scratch: inout TapeScratch
    ) -> Timestamp?? {
        var time: Timestamp?
        if let text = numberText(t, members(t, [name], scratch: &scratch.bytes).named[0]) {
            guard setTime(text, { try Timestamp.parseEpoch($0, unit: unit) }, &time) else { return nil }
        }
        return .some(time)
    }

    /// The standardized text of the string at token `i` (`data[…]?.stringValue`): repaired,
    /// cleansed, nil when that empties it (the member is dropped) or it is no string.
    static func facebookText(_ t: JSONTape, _ i: Int) -> String? {
        guard i >= 0, t.kind(i) == .string else { return nil }
        let text = TextCleansing.clean(Mojibake.repair(t.string(i)))
        return text.isEmpty ? nil : text
    }

    /// `Mapped.micro` of the standardized value at token `i`: a number as spelled, a string's
    /// standardized text, in micro-degrees.
    static func facebookMicro(_ t: JSONTape, _ i: Int) -> Int64? {
        guard i >= 0 else { return nil }
        let text = t.kind(i) == .number ? t.string(i) : facebookText(t, i)
        return text.flatMap { GeoPoint.micro(Substring($0)) }
    }
}
