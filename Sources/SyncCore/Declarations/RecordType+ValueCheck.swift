extension RecordType {
    /// Why `value` cannot be a stored value of `field`, or nil when it can.
    ///
    /// Used on every write, local or incoming. Types must match exactly: storing "300" in an
    /// integer column would make SQLite coerce it, and the replica would then hold (and hash)
    /// something other than what was written. NUL is refused because SQLite's text functions
    /// stop at it, so the value would not read back as written. Text longer than the field's
    /// `maxBytes` is refused, with a message naming type, field and limit, never the value.
    /// Why `value` is too large for `field` (text over its declared `maxBytes`), or nil: the one
    /// check that holds even for values kept as sent from a newer release.
    public func sizeProblem(with value: FieldValue, field: String) -> String? {
        guard case .text(let text) = value, let limit = self.field(field)?.maxBytes, text.utf8.count > limit else {
            return nil
        }
        return Self.tooLong(type: name, field: field, limit: limit)
    }

    public func problem(with value: FieldValue, field: String) -> String? {
        if field == RecordState.lifecycleField {
            return value == RecordState.alive || value == RecordState.deleted
                ? nil : "the lifecycle field must be 0 or 1"
        }
        // By position, not `field(_:)`: this runs for every value of every write and merge.
        guard let index = fields.firstIndex(where: { $0.name == field }) else {
            return "\(name) has no field '\(field)'"
        }
        switch (fields[index].kind, value) {
        case (_, .null):
            return nil
        case (.integer(let minimum), .integer(let number)):
            return number >= minimum ? nil : "\(field) must be at least \(minimum)"
        case (.integer, .text):
            return "\(field) must be a whole number, not text"
        case (_, .integer):
            return "\(field) must be text, not a number"
        case (_, .text(let text)) where fields[index].maxBytes.map { text.utf8.count > $0 } == true:
            return Self.tooLong(type: name, field: field, limit: fields[index].maxBytes!)
        case (_, .text(let text)) where Self.containsNUL(text):
            return "\(field) must not contain a NUL character"
        case (.choice(let options), .text(let text)):
            return options.contains(text) ? nil : "\(field) must be one of \(options.joined(separator: ", "))"
        case (.reference, .text(let text)):
            return UUIDText.normalise(text) == text ? nil : "\(field) must be a record id (a lowercase UUID)"
        case (.date, .text(let text)):
            return ISOTimestamp.isCanonicalDate(text) ? nil : "\(field) must be a date like 2026-01-28"
        case (.timestamp, .text(let text)):
            return ISOTimestamp(parsing: text)?.text == text ? nil : "\(field) must be an ISO 8601 date or time"
        case (.phone, .text(let text)):
            // Bytes, not scalars: every allowed character is ASCII, and this runs on every merge.
            return text.utf8.allSatisfy({ (0x30...0x39).contains($0) || $0 == 0x20 || $0 == 0x2B || $0 == 0x2D })
                ? nil : "\(field) must be a phone number: digits, with spaces, + and - allowed"
        case (.text, .text):
            return nil
        }
    }

    /// Whether `text` holds a NUL byte; a byte scan of contiguous UTF-8 (every native string).
    static func containsNUL(_ text: String) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { $0.contains(0) } ?? text.utf8.contains(0)
    }

    /// The message for a text value over its field's limit: names the declaration, never the value.
    static func tooLong(type: String, field: String, limit: Int) -> String {
        "\(field) of a \(type) may be at most \(limit) bytes of UTF-8 (about \(limit / 3) Chinese characters); "
            + "shorten it"
    }
}
