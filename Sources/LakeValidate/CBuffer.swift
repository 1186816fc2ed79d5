extension String {
    /// The text of a C character buffer up to its first NUL (the buffers the YARA and ClamAV
    /// shims write their messages into).
    init(cBuffer buffer: [CChar]) {
        self.init(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
