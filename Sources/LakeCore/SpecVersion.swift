/// The version of docs/SPEC.md this build implements. Every conformance kit and report carries
/// it; a change to canonical output bumps it and is listed in SPEC's changelog (section 11).
public enum SpecVersion {
    public static let current = "4.0"
}
