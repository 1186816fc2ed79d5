import Foundation

/// Small but valid media files for generated exports: each decodes with standard tools
/// (checked with ffprobe when they were made; the corpus tests check libmagic's verdict).
/// JPEG 8×8 baseline JFIF, PNG 4×4 RGB, WebP 4×4 lossless (VP8L), MP4 16×16 one-frame MPEG-4
/// Part 2 video in an ISO base media file with `moov` first.
public enum MediaSamples {
    public struct Sample: Sendable {
        /// File extension without the dot.
        public var ext: String
        /// The MIME type libmagic reports.
        public var mime: String
        /// Twitter's media type for it: `photo` or `video`.
        public var kind: String
        public var bytes: [UInt8]
    }

    static func decode(_ base64: String) -> [UInt8] { Array(Data(base64Encoded: base64)!) }

    public static let jpeg = Sample(
        ext: "jpg", mime: "image/jpeg", kind: "photo",
        bytes: decode(
            "/9j/4AAQSkZJRgABAgAAAQABAAD/2wBDAAgEBAQEBAUFBQUFBQYGBgYGBgYGBgYGBgYHBwcICAgHBwcGBgcHCAgICAkJCQgICAgJCQoKCgwMCwsODg4RERT/xABMAAEBAAAAAAAAAAAAAAAAAAAABgEBAQAAAAAAAAAAAAAAAAAABgcQAQAAAAAAAAAAAAAAAAAAAAARAQAAAAAAAAAAAAAAAAAAAAD/wAARCAAIAAgDASIAAhEAAxEA/9oADAMBAAIRAxEAPwCLAFF/f//Z"
        ))
    public static let png = Sample(
        ext: "png", mime: "image/png", kind: "photo",
        bytes: decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAAKUlEQVR42g3HMQEAAAzCMIRVGGdFIXDLlyQSGxcTBIvjU6mt62cyOzcPp2MTQQYaK1UAAAAASUVORK5CYII="
        ))
    public static let webp = Sample(
        ext: "webp", mime: "image/webp", kind: "photo",
        bytes: decode("UklGRjoAAABXRUJQVlA4TC4AAAAvA8AAAH9AkG0zsCLcH+kMwzOA81+EDADLO4AgAGLNggULJi1YsGAkov+BsJoP"))
    public static let mp4 = Sample(
        ext: "mp4", mime: "video/mp4", kind: "video",
        bytes: decode(
            "AAAAHGZ0eXBpc29tAAACAGlzb21pc28ybXA0MQAAAwttb292AAAAbG12aGQAAAAAAAAAAAAAAAAAAAPoAAAAyAABAAABAAAAAAAAAAAAAAAAAQAAAAAAAAAAAAAAAAAAAAEAAAAAAAAAAAAAAAAAAEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAACAAACWnRyYWsAAABcdGtoZAAAAAMAAAAAAAAAAAAAAAEAAAAAAAAAyAAAAAAAAAAAAAAAAAAAAAAAAQAAAAAAAAAAAAAAAAAAAAEAAAAAAAAAAAAAAAAAAEAAAAAAEAAAABAAAAAAACRlZHRzAAAAHGVsc3QAAAAAAAAAAQAAAMgAAAAAAAEAAAAAAdJtZGlhAAAAIG1kaGQAAAAAAAAAAAAAAAAAACgAAAAIAFXEAAAAAAAtaGRscgAAAAAAAAAAdmlkZQAAAAAAAAAAAAAAAFZpZGVvSGFuZGxlcgAAAAF9bWluZgAAABR2bWhkAAAAAQAAAAAAAAAAAAAAJGRpbmYAAAAcZHJlZgAAAAAAAAABAAAADHVybCAAAAABAAABPXN0YmwAAADZc3RzZAAAAAAAAAABAAAAyW1wNHYAAAAAAAAAAQAAAAAAAAAAAAAAAAAAAAAAEAAQAEgAAABIAAAAAAAAAAEKTGF2YyBtcGVnNAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAY//8AAABPZXNkcwAAAAADgICAPgABAASAgIAwIBEAAAAAAw1AAAADIAWAgIAeAAABsAEAAAG1iRMAAAEAAAABIADEjYgALQCEAhRjBoCAgAECAAAAEHBhc3AAAAABAAAAAQAAABRidHJ0AAAAAAADDUAAAAMgAAAAGHN0dHMAAAAAAAAAAQAAAAEAAAgAAAAAHHN0c2MAAAAAAAAAAQAAAAEAAAABAAAAAQAAABRzdHN6AAAAAAAAABQAAAABAAAAFHN0Y28AAAAAAAAAAQAAAzcAAAA9dWR0YQAAADVtZXRhAAAAAAAAACFoZGxyAAAAAAAAAABtZGlyYXBwbAAAAAAAAAAAAAAAAAhpbHN0AAAACGZyZWUAAAAcbWRhdAAAAbMAEAcAAAG2EYFGCobYHgFr"
        ))

    public static let all = [jpeg, png, webp, mp4]
    /// What Twitter archives hold in `tweets_media/`: JPEG and PNG photos, MP4 videos.
    static let twitter = [jpeg, jpeg, png, mp4]

    /// The sample whose extension ends `name` (JPEG when none does).
    static func forExtension(_ name: String) -> Sample {
        all.first { name.hasSuffix("." + $0.ext) } ?? jpeg
    }
}
