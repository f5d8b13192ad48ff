/// The version of the `hearth` command-line client, printed by `hearth --version`.
public enum HearthVersion {
    public static let string = "0.1.0"
}
