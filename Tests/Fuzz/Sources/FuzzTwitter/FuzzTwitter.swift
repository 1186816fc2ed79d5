import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTwitter(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 { runFuzzTarget("twitter", data, size) }
