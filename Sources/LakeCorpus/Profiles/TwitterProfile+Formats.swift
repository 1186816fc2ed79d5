import Foundation
import LakeCore
import LakeIngest
import LakeParsers

/// Twitter's own text forms, written straight into bytes: `created_at`, ISO times, digits, pretty JSON, a tweet.
extension TwitterProfile {
    /// Twitter's `created_at` for an instant, always `+0000` as the archive writes it.
    static func createdAt(_ millis: Int64) -> String {
        var out: [UInt8] = []
        appendCreatedAt(millis, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    static func iso(_ millis: Int64) -> String { Timestamp(millis: millis, offsetSeconds: 0).iso8601 }

    /// `createdAt(millis)`'s bytes, without a `String`.
    static func appendCreatedAt(_ millis: Int64, into out: inout [UInt8]) { Timestamp.appendTwitter(millis, into: &out) }

    /// Appends `v` as `width` decimal digits.
    static func digits(_ v: Int64, width: Int, into out: inout [UInt8]) {
        var divisor: Int64 = 1
        for _ in 1..<width { divisor *= 10 }
        var rest = v
        while divisor > 0 {
            out.append(UInt8(ascii: "0") + UInt8(rest / divisor % 10))
            rest %= divisor
            divisor /= 10
        }
    }

    /// `iso(millis)`'s bytes for years 1000-9999 (`2024-06-01T12:00:00.000Z`), without a `String`.
    static func appendISO(_ millis: Int64, into out: inout [UInt8]) {
        let day = millis / 86_400_000
        let (y, m, d) = Civil.civilFromDays(day)
        let ms = millis - day * 86_400_000
        digits(y, width: 4, into: &out)
        out.append(UInt8(ascii: "-"))
        digits(m, width: 2, into: &out)
        out.append(UInt8(ascii: "-"))
        digits(d, width: 2, into: &out)
        out.append(UInt8(ascii: "T"))
        digits(ms / 3_600_000, width: 2, into: &out)
        out.append(UInt8(ascii: ":"))
        digits(ms / 60_000 % 60, width: 2, into: &out)
        out.append(UInt8(ascii: ":"))
        digits(ms / 1000 % 60, width: 2, into: &out)
        out.append(UInt8(ascii: "."))
        digits(ms % 1000, width: 3, into: &out)
        out.append(UInt8(ascii: "Z"))
    }

    /// Twitter's pretty-printing: 2-space indent, `"key" : value`, `[ {` / `}, {` / `} ]` between
    /// top-level elements.
    static func pretty(_ v: JSONValue, indent: Int, into out: inout [UInt8]) {
        PrettyJSON.twitter.write(v, indent: indent, into: &out)
    }

    /// A tweet as the archive spells it, element at indent 0 (`{"tweet": …}` unless `legacy`).
    static func write(_ t: TweetDraft, legacy: Bool, username: String, into out: inout [UInt8]) {
        var s = JSONStream(style: .twitter, indent: 0)
        if !legacy {
            s.beginObject(&out)
            s.key("tweet", &out)
        }
        s.beginObject(&out)
        s.key("edit_info", &out)
        s.beginObject(&out)
        s.key("initial", &out)
        s.beginObject(&out)
        s.key("editTweetIds", &out)
        s.beginArray(&out)
        s.string(t.id, &out)
        s.endArray(&out)
        s.key("editableUntil", &out)
        s.plainString(&out) { Self.appendISO(t.instant + 3_600_000, into: &$0) }
        s.member("editsRemaining", "5", &out)
        s.key("isEditEligible", &out)
        s.bool(t.editEligible, &out)
        s.endObject(&out)
        s.endObject(&out)
        s.key("retweeted", &out)
        s.bool(false, &out)
        s.member("source", "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>", &out)
        s.key("entities", &out)
        s.beginObject(&out)
        s.key("hashtags", &out)
        if let h = t.hashtag {
            s.beginArray(&out)
            s.beginObject(&out)
            s.member("text", h.tag, &out)
            s.key("indices", &out)
            s.pair(String(h.start), String(h.start + 1 + h.tag.unicodeScalars.count), &out)
            s.endObject(&out)
            s.endArray(&out)
        } else {
            s.emptyArray(&out)
        }
        s.key("symbols", &out)
        s.emptyArray(&out)
        s.key("user_mentions", &out)
        if let m = t.mention {
            s.beginArray(&out)
            s.beginObject(&out)
            s.member("name", m.person.first + " " + m.person.last, &out)
            s.member("screen_name", m.person.username, &out)
            s.key("indices", &out)
            s.pair(String(m.start), String(m.start + 1 + m.person.username.utf8.count), &out)
            s.member("id_str", m.person.accountId, &out)
            s.member("id", m.person.accountId, &out)
            s.endObject(&out)
            s.endArray(&out)
        } else {
            s.emptyArray(&out)
        }
        s.key("urls", &out)
        if let l = t.link {
            s.beginArray(&out)
            s.beginObject(&out)
            s.member("url", "https://t.co/" + l.code, &out)
            s.member("expanded_url", "https://example.com/n/" + l.code, &out)
            s.member("display_url", "example.com/n/" + l.code, &out)
            s.key("indices", &out)
            s.pair(String(l.start), String(l.start + 23), &out)
            s.endObject(&out)
            s.endArray(&out)
        } else {
            s.emptyArray(&out)
        }
        s.endObject(&out)
        s.key("display_text_range", &out)
        s.pair("0", String(t.text.unicodeScalars.count), &out)
        s.member("favorite_count", String(t.favoriteCount), &out)
        s.member("id_str", t.id, &out)
        s.key("truncated", &out)
        s.bool(false, &out)
        s.member("retweet_count", String(t.retweetCount), &out)
        s.member("id", t.id, &out)
        s.key("created_at", &out)
        s.plainString(&out) { Self.appendCreatedAt(t.instant, into: &$0) }
        s.key("favorited", &out)
        s.bool(t.favorited, &out)
        s.member("full_text", t.text, &out)
        s.member("lang", t.lang, &out)
        if let r = t.replyTo {
            s.member("in_reply_to_status_id_str", r, &out)
            s.member("in_reply_to_status_id", r, &out)
            s.member("in_reply_to_screen_name", username, &out)
        }
        if let m = t.media {
            s.key("extended_entities", &out)
            s.beginObject(&out)
            s.key("media", &out)
            s.beginArray(&out)
            s.beginObject(&out)
            s.member("media_url_https", m.url, &out)
            s.member("type", m.kind, &out)
            s.endObject(&out)
            s.endArray(&out)
            s.endObject(&out)
        }
        s.endObject(&out)
        if !legacy { s.endObject(&out) }
    }
}
