import ArgumentParser
import LakeStore

/// `--lake`, shared by every command that opens a lake.
struct LakeOptions: ParsableArguments {
    @Option(help: "The lake folder (ingest creates it; the other commands read an existing one).")
    var lake: String = Lake.defaultDirectory

    /// The existing lake, opened to read (and written by `resume`).
    func open() throws -> Lake { try Lake(directory: lake, create: false) }
}

/// The one error wrapper: a failure becomes its error line and exit status (`ExitStatus.fail`);
/// an exit status already chosen passes through.
func reporting<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let code as ExitCode { throw code } catch { throw ExitStatus.fail(error) }
}
