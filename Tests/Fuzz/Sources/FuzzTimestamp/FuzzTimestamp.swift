import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTimestamp(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 { runFuzzTarget("timestamp", data, size) }
