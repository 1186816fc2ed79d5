/// The datapunk version, shown by `--version` and sent as the HTTP user agent.
/// It never enters canonical output; lineage steps carry their own versions.
public enum DatapunkVersion {
    public static let string = "0.1.0"
}
