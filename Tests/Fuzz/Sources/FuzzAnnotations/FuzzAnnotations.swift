import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAnnotations(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 { runFuzzTarget("annotations", data, size) }
