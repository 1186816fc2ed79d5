import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNormalize(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 { runFuzzTarget("normalize", data, size) }
