import _LakeFuzzTargets

/// Runs the named target on libFuzzer's input and traps on a broken property, which
/// libFuzzer records as a crash with the input saved.
public func runFuzzTarget(_ name: String, _ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let target = FuzzTargets.target(named: name) else { fatalError("no fuzz target \(name)") }
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    if let finding = target(bytes) { fatalError("\(name): property broken: \(finding)") }
    return 0
}
