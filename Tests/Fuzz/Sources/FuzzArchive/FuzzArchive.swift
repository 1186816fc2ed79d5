import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzArchive(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 { runFuzzTarget("archive", data, size) }
