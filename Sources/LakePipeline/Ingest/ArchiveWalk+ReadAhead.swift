import LakeCore
import LakeIngest
import LakeValidate

/// The next entry read, and scanned, while the last one's records are still being mapped and
/// committed. An entry's security scan comes before a byte of it is parsed, so between two
/// parsed entries the walk's thread inflated the next one's first 16 MiB and scanned them while
/// the workers had nothing to map: a generated Twitter archive's 23 MB tweet files left one core
/// idle for 80 to 150 ms each, 11% of the load. The walk's thread now does that while it waits
/// for the last entry's workers and committer (`ChunkedLoader.loadRows`), and starts the scan on
/// another thread; the entry is then read from what was read ahead (`ReadAheadSource`, which
/// gives the same blocks and counts), and its scan's answer is taken when its window is the
/// bytes scanned ahead. Only entries of the input itself (not of a nested archive) that the
/// walk will read (not refuse, catalogue or open as an archive) are read ahead.
/// `RunSettings.readsAhead` false reads each entry when it comes, as before; the catalog is the
/// same (tests compare the two).
extension ArchiveWalk {
    /// A scan started on the first bytes of an entry read ahead.
    struct ScanAhead {
        let path: String
        let bytes: [UInt8]
        let scan: Parallel.Pending<[SecurityScanner.Match]>
    }

    /// Reads the next entry of the input ahead, and starts its scan, once the current entry's
    /// data has ended; nothing when it has not, or the next entry will not be read.
    func readNextEntryAhead() {
        guard let source = readAhead else { return }
        let t = job.options.thresholds
        let index = nextIndex
        let ahead = source.readAhead(upTo: SecurityScanner.window) { [self] entry in
            guard !done.contains(index), index < t.maxArchiveEntries else { return false }
            return job.entryPolicy.decide(entry, depth: 1) == .read(nestedArchive: false)
        }
        guard let ahead, ahead.whole || ahead.bytes.count >= SecurityScanner.window, let scanner = try? job.securityScanner() else {
            return
        }
        scanAhead = ScanAhead(
            path: ahead.entry.path, bytes: ahead.bytes, scan: Self.startScan(scanner, ahead.bytes, path: ahead.entry.path))
    }

    /// The scan started ahead, when it was started on `window` of the entry at `path`; nil
    /// otherwise. Either way the scan ahead is let go.
    func takeScanAhead(_ window: [UInt8], path: String) -> Parallel.Pending<[SecurityScanner.Match]>? {
        guard let ahead = scanAhead else { return nil }
        scanAhead = nil
        guard ahead.path == path, SameBytes.same(ahead.bytes, window) else { return nil }
        job.scansTakenAhead += 1
        return ahead.scan
    }
}
