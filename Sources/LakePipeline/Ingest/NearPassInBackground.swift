import Foundation
import LakeCore
import LakeStore

extension NearDuplicateFinder {
    /// The near pass (`similar`) on a thread of its own, through a second connection to the
    /// catalog, while this one finds the identical texts. Both only read the catalog (the pass
    /// keeps its state in staging runs of its own), and their links are added in the same order
    /// as one after the other, so the links are the same. On the 256 MB Takeout zip each took
    /// about 0.4 s of one core, one after the other.
    ///
    /// The reading connection sees what was committed: only a caller whose transaction has
    /// written nothing yet sets `passBeside` (the ingest, which commits the hashing first; not
    /// erase, which deletes a user's records and links what is left in one transaction).
    final class NearPassInBackground: @unchecked Sendable {
        /// The second connection, kept open until the pairs are read through it.
        private let reader: Lake
        private let thread: StageThread<SimilarTexts>

        /// Starts `finder`'s pass on a reading connection of its lake.
        init(_ finder: NearDuplicateFinder) throws {
            let reader = try finder.lake.readingConnection()
            self.reader = reader
            thread = StageThread(stageStop: finder.checkStop) { checkStop in
                var pass = finder
                pass.lake = reader
                pass.checkStop = checkStop
                return try pass.similar()
            }
        }

        /// Waits for the pass and gives its pairs, as `forEachSimilar` does.
        func forEachSimilar(_ body: (String, String, Double, Int64?) throws -> Void) throws { try thread.join().forEachBest(body) }

        /// Stops the pass and waits for it: a stage that ends early leaves nothing running.
        func cancel() { thread.cancel() }
    }

    /// `body` with the near pass started beside it when `passBeside`, else with none; then the
    /// pairs (`forEachSimilar`), from that pass or from one run here.
    func run(beside body: () throws -> Void, then similar: (String, String, Double, Int64?) throws -> Void) throws {
        guard passBeside else {
            try body()
            return try forEachSimilar(similar)
        }
        let pass = try NearPassInBackground(self)
        defer { pass.cancel() }
        try body()
        try pass.forEachSimilar(similar)
    }
}
