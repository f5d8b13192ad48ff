import SyncCore

/// A calendar date typed on the command line (`2026-01-28`), checked and normalised.
public enum ISODate {
    /// The normalised date, or nil when `text` is not a valid `YYYY-MM-DD` date.
    public static func parse(_ text: String) -> String? {
        guard let stamp = ISOTimestamp(parsing: text.trimmingWhitespaceAndNewlines()), stamp.isDateOnly else {
            return nil
        }
        return stamp.text
    }
}
