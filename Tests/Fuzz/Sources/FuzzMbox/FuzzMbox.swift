import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMbox(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 { runFuzzTarget("mbox", data, size) }
