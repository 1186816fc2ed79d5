import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzICS(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 { runFuzzTarget("ics", data, size) }
