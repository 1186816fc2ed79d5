import CXXHash

// The only file in LakeCore that calls libxxhash.

/// The corresponding C function is `XXH64`.
func c_xxh64(_ pointer: UnsafeRawPointer?, _ length: Int, _ seed: UInt64) -> UInt64 {
    CXXHash.XXH64(pointer, length, seed)
}

/// The corresponding C function is `XXH64_createState`.
func c_xxh64_createState() -> OpaquePointer? {
    XXH64_createState()
}

/// The corresponding C function is `XXH64_freeState`.
func c_xxh64_freeState(_ state: OpaquePointer) {
    _ = XXH64_freeState(state)
}

/// The corresponding C function is `XXH64_reset`.
func c_xxh64_reset(_ state: OpaquePointer, _ seed: UInt64) -> Bool {
    XXH64_reset(state, seed) == XXH_OK
}

/// The corresponding C function is `XXH64_update`.
func c_xxh64_update(_ state: OpaquePointer, _ pointer: UnsafeRawPointer?, _ length: Int) -> Bool {
    XXH64_update(state, pointer, length) == XXH_OK
}

/// The corresponding C function is `XXH64_digest`.
func c_xxh64_digest(_ state: OpaquePointer) -> UInt64 {
    XXH64_digest(state)
}
