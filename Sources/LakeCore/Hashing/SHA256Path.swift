import Foundation

/// Which SHA-256 code path this process takes. SHA-256 runs through swift-crypto's BoringSSL,
/// which picks its SHA-NI routine (`sha256_block_data_order_hw`) when the CPU's capability
/// vector has the SHA extensions bit (CPUID leaf 7, EBX bit 29, kept in word 2 of
/// `OPENSSL_ia32cap_P`); the check reads that same vector back.
public enum SHA256Path {
    /// True when BoringSSL will use the SHA-NI instructions, false when it will not; nil off x86-64.
    public static var usesSHANI: Bool? {
        #if arch(x86_64)
            _ = FileDigester.sha256([])  // makes BoringSSL read the CPU's capabilities
            return boringSSLCapability(2) & (1 << 29) != 0
        #else
            return nil
        #endif
    }

    /// Whether /proc/cpuinfo lists the `sha_ni` flag (nil when it cannot be read).
    public static var cpuHasSHANI: Bool? {
        guard let data = FileManager.default.contents(atPath: "/proc/cpuinfo") else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        guard let flags = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return nil }
        return flags.split(separator: " ").contains("sha_ni")
    }
}

#if arch(x86_64)
    /// BoringSSL's `uint32_t OPENSSL_get_ia32cap(int idx)` (prefixed by swift-crypto), linked
    /// statically into every binary that hashes. An `Int32` in and a `UInt32` out pass in the same
    /// registers under the Swift and C conventions on x86-64.
    @_silgen_name("CCryptoBoringSSL_OPENSSL_get_ia32cap")
    private func boringSSLCapability(_ index: Int32) -> UInt32
#endif
