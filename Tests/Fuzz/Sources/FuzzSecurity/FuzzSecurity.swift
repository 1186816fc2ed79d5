import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSecurity(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 { runFuzzTarget("security", data, size) }
