import Foundation
import LakeCore
import LakeIngest
import LakeParsers

/// One tweet drafted from the seeded stream: its text, entities, media and reply links.
extension TwitterProfile {
    static func draft(
        instant: Int64, person: Person, friends: [Person], rng: inout SplitMix64, media mediaList: StagedFile,
        mediaLeft: inout Int
    ) -> TweetDraft {
        let language = rng.int(in: 0...(Vocabulary.languages.count - 1))
        let lang = Vocabulary.languages[language]
        var text = rng.pick(Vocabulary.sentenceLists[language])
        var hashtag: (tag: String, start: Int)?
        var mention: (person: Person, start: Int)?
        if rng.chance(0.25) {
            let tag = rng.pick(["datapunk", "travel", "coffee", "reading", "Köln", "東京"])
            hashtag = (tag, text.unicodeScalars.count + 1)
            text += " #" + tag
        }
        if rng.chance(0.15) {
            let friend = rng.pick(friends)
            mention = (friend, text.unicodeScalars.count + 1)
            text += " @" + friend.username
        }
        // An escaped ampersand before the planted value, never inside it (the key names the value).
        if rng.chance(0.1), let dot = text.lastIndex(of: ".") { text.replaceSubrange(dot...dot, with: " &amp; more.") }
        var planted: PlantedPII?
        if rng.chance(0.08) {
            switch rng.int(in: 0...5) {
            case 0: planted = rng.email(first: person.first, last: rng.pick(Vocabulary.lastNames))
            case 1: planted = rng.phone()
            case 2: planted = rng.creditCard(valid: rng.chance(0.5))
            case 3: planted = rng.ssn(valid: rng.chance(0.5))
            case 4: planted = rng.iban(valid: rng.chance(0.5))
            default: planted = rng.ipAddress()
            }
            text += " " + planted!.value
        }
        // A t.co link last, as Twitter appends them: its code makes every tweet's text its own.
        let link = (code: rng.code(10), start: text.unicodeScalars.count + 1)
        text += " https://t.co/" + link.code
        let id = String(((instant - Self.snowflakeEpoch) << 22) | Int64(rng.int(in: 0...4_194_303)))
        var d = TweetDraft(
            id: id, instant: instant, text: text, lang: lang, hashtag: hashtag, mention: mention, planted: planted,
            editEligible: rng.chance(0.5),
            favoriteCount: rng.int(in: 0...250), retweetCount: rng.int(in: 0...40), favorited: rng.chance(0.2), link: link)
        if rng.chance(0.2) { d.replyTo = String(((instant - 86_400_000 - Self.snowflakeEpoch) << 22) | 17) }
        if rng.chance(0.05), mediaLeft > 0 {
            mediaLeft -= 1
            let sample = rng.pick(MediaSamples.twitter)
            // Twitter names the file `<tweet id>-<media key>.<ext>`; the URL has only the key.
            let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
            let key = "F" + String((0..<14).map { _ in alphabet[rng.int(in: 0...(alphabet.count - 1))] }) + "." + sample.ext
            mediaList.write("\(id)-\(key)\n")
            d.media = (
                sample.kind == "video" ? "https://video.twimg.com/tweet_video/\(key)" : "https://pbs.twimg.com/media/\(key)", sample.kind
            )
        }
        return d
    }
}
