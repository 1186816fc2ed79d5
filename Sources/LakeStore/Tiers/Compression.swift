#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import CLZ4
import CZstd
import LakeCore

/// LZ4 blocks (the warm tier) and zstd streams (the cold tier), through liblz4 and libzstd.
enum Compression {
    static func damaged(_ what: String) -> LakeError {
        LakeError(.lakeCorrupt, scope: .input, message: "a partition file is damaged (\(what))")
    }

    /// One LZ4 block of `bytes`.
    static func lz4(_ bytes: [UInt8]) -> [UInt8] {
        let bound = Int(LZ4_compressBound(Int32(bytes.count)))
        var out = [UInt8](repeating: 0, count: max(bound, 1))
        let n = bytes.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                LZ4_compress_default(
                    UnsafeRawPointer(src.baseAddress!).assumingMemoryBound(to: CChar.self),
                    UnsafeMutableRawPointer(dst.baseAddress!).assumingMemoryBound(to: CChar.self), Int32(bytes.count), Int32(bound))
            }
        }
        return Array(out.prefix(Int(n)))
    }

    /// The `size` bytes an LZ4 block holds.
    static func unlz4(_ block: [UInt8], size: Int) throws -> [UInt8] {
        guard size >= 0, size <= 1 << 30 else { throw damaged("a batch's size") }
        var out = [UInt8](repeating: 0, count: max(size, 1))
        let n = block.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                LZ4_decompress_safe(
                    UnsafeRawPointer(src.baseAddress ?? UnsafePointer(bitPattern: 1)!).assumingMemoryBound(to: CChar.self),
                    UnsafeMutableRawPointer(dst.baseAddress!).assumingMemoryBound(to: CChar.self), Int32(block.count), Int32(size))
            }
        }
        guard n == size else { throw damaged("an LZ4 batch") }
        return Array(out.prefix(size))
    }

    /// Compresses what it is given into a file descriptor, as one zstd frame.
    final class ZstdWriter {
        private let stream: OpaquePointer
        private let fd: Int32
        private var buffer = [UInt8](repeating: 0, count: Int(ZSTD_CStreamOutSize()))
        private(set) var written: Int64 = 0

        init(fd: Int32, level: Int32) {
            stream = ZSTD_createCCtx()
            self.fd = fd
            ZSTD_CCtx_setParameter(stream, ZSTD_c_compressionLevel, level)
            // The frame carries a checksum of its content: a damaged file is detected on read.
            ZSTD_CCtx_setParameter(stream, ZSTD_c_checksumFlag, 1)
        }

        deinit { ZSTD_freeCCtx(stream) }

        func write(_ bytes: [UInt8]) throws { try run(bytes, end: false) }
        func finish() throws { try run([], end: true) }

        private func run(_ bytes: [UInt8], end: Bool) throws {
            try bytes.withUnsafeBytes { src in
                var input = ZSTD_inBuffer(src: src.baseAddress, size: src.count, pos: 0)
                while true {
                    let (rc, produced) = buffer.withUnsafeMutableBytes { dst -> (Int, Int) in
                        var output = ZSTD_outBuffer(dst: dst.baseAddress, size: dst.count, pos: 0)
                        let rc = ZSTD_compressStream2(stream, &output, &input, end ? ZSTD_e_end : ZSTD_e_continue)
                        return (rc, output.pos)
                    }
                    if ZSTD_isError(rc) != 0 {
                        throw LakeError(.lakeStorage, scope: .input, message: "zstd: \(String(cString: ZSTD_getErrorName(rc)))")
                    }
                    try writeAll(Array(buffer.prefix(produced)))
                    if end ? rc == 0 : input.pos == input.size { return }
                }
            }
        }

        private func writeAll(_ bytes: [UInt8]) throws {
            var offset = 0
            while offset < bytes.count {
                let n = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
                if n < 0 {
                    if errno == EINTR { continue }
                    throw LakeError(
                        errno == ENOSPC ? .lakeDiskFull : .lakeStorage, scope: .input,
                        message: "cannot write a cold partition: \(String(cString: strerror(errno)))")
                }
                offset += n
            }
            written += Int64(bytes.count)
        }
    }

    /// Reads a zstd file back, a piece at a time.
    final class ZstdReader {
        private let stream: OpaquePointer
        private let fd: Int32
        private var input = [UInt8](repeating: 0, count: Int(ZSTD_DStreamInSize()))
        private var inputFill = 0
        private var inputPos = 0
        private var finished = false
        private var lastRC = 1

        init(fd: Int32) {
            stream = ZSTD_createDCtx()
            self.fd = fd
        }

        deinit { ZSTD_freeDCtx(stream) }

        /// Up to `max` decompressed bytes; empty at the end of the frame.
        func read(max: Int) throws -> [UInt8] {
            var out = [UInt8](repeating: 0, count: max)
            var produced = 0
            while produced == 0 {
                if inputPos == inputFill {
                    let n = input.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
                    if n < 0 && errno == EINTR { continue }
                    guard n >= 0 else { throw damaged("it cannot be read") }
                    if n == 0 {
                        guard lastRC == 0 else { throw damaged("a cold archive ends inside its zstd frame") }
                        return []
                    }
                    inputFill = n
                    inputPos = 0
                }
                let rc = input.withUnsafeBytes { src in
                    out.withUnsafeMutableBytes { dst -> Int in
                        var i = ZSTD_inBuffer(src: src.baseAddress, size: inputFill, pos: inputPos)
                        var o = ZSTD_outBuffer(dst: dst.baseAddress, size: dst.count, pos: 0)
                        let rc = ZSTD_decompressStream(stream, &o, &i)
                        inputPos = i.pos
                        produced = o.pos
                        return rc
                    }
                }
                if ZSTD_isError(rc) != 0 { throw damaged("zstd: \(String(cString: ZSTD_getErrorName(rc)))") }
                lastRC = rc
            }
            return Array(out.prefix(produced))
        }
    }
}
