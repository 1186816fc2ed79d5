import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPII(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 { runFuzzTarget("pii", data, size) }
