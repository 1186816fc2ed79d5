import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzXML(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 { runFuzzTarget("xml", data, size) }
