import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzVCF(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 { runFuzzTarget("vcf", data, size) }
