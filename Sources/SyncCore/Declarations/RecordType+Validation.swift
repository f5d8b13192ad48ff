/// A field value or a whole record that breaks its declaration.
public struct RecordValidationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The offending field, or nil for a rule over the whole record.
    public var field: String?
    /// What is wrong and what is expected; never quotes personal data.
    public var message: String

    public init(field: String?, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { message }
}

extension RecordType {
    /// Checks and normalises raw text input for `field` (trimmed; empty means null).
    public func parse(_ field: String, text: String) throws(RecordValidationError) -> FieldValue {
        guard let spec = self.field(field) else {
            throw RecordValidationError(field: field, message: "\(name) has no field '\(field)'")
        }
        let trimmed = text.trimmingWhitespace()
        if trimmed.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\n" && $0 != "\t" || $0.value == 0x7F }) {
            throw RecordValidationError(field: field, message: "\(field) must not contain control characters")
        }
        if trimmed.isEmpty {
            if spec.isRequired { throw RecordValidationError(field: field, message: "\(field) must not be empty") }
            return .null
        }
        if let limit = spec.maxBytes, trimmed.utf8.count > limit {
            throw RecordValidationError(field: field, message: Self.tooLong(type: name, field: field, limit: limit))
        }
        switch spec.kind {
        case .text:
            return .text(trimmed)
        case .phone:
            let allowed = trimmed.unicodeScalars.allSatisfy {
                ("0"..."9").contains($0) || $0 == " " || $0 == "+" || $0 == "-"
            }
            let digits = trimmed.unicodeScalars.filter { ("0"..."9").contains($0) }.count
            guard allowed, digits >= 3 else {
                throw RecordValidationError(
                    field: field, message: "\(field) must be a phone number: digits, with spaces, + and - allowed")
            }
            return .text(trimmed)
        case .choice(let options):
            let lowered = trimmed.lowercased()
            guard options.contains(lowered) else {
                throw RecordValidationError(
                    field: field,
                    message: "\(field) must be one of \(options.joined(separator: ", ")) (got '\(trimmed.prefix(20))')")
            }
            return .text(lowered)
        case .date:
            guard let date = ISOTimestamp(parsing: trimmed), date.isDateOnly else {
                throw RecordValidationError(field: field, message: "\(field) must be a date like 2026-01-28")
            }
            return .text(date.text)
        case .timestamp:
            guard let stamp = ISOTimestamp(parsing: trimmed) else {
                throw RecordValidationError(
                    field: field,
                    message: "\(field) must be an ISO 8601 date or time like 2026-01-28 or 2026-01-28T09:30")
            }
            return .text(stamp.text)
        case .integer(let minimum):
            guard let number = Int64(trimmed), number >= minimum else {
                throw RecordValidationError(
                    field: field, message: "\(field) must be a whole number of at least \(minimum)")
            }
            return .integer(number)
        case .reference:
            guard let id = UUIDText.normalise(trimmed) else {
                throw RecordValidationError(field: field, message: "\(field) must be a record id (a UUID)")
            }
            return .text(id)
        }
    }

    /// Checks a complete set of shown values: required fields present, record rules hold.
    ///
    /// `toleratingMissing` names required fields that may stay empty: a record revived by an edit
    /// made concurrently with its delete has the fields that edit did not write erased, and
    /// later edits of other fields must not be refused for it (staff fill them in when they can).
    public func validate(_ values: [String: FieldValue], toleratingMissing: Set<String> = [])
        throws(RecordValidationError)
    {
        for spec in fields
        where spec.isRequired && (values[spec.name] ?? .null).isNull && !toleratingMissing.contains(spec.name) {
            throw RecordValidationError(field: spec.name, message: "\(spec.name) is required for a \(name)")
        }
        for rule in rules {
            if let problem = rule.check(values) { throw RecordValidationError(field: nil, message: problem) }
        }
    }
}

extension RecordType {
    /// `validate(_:toleratingMissing:)` of `state.shownValues`, reading each required field's
    /// shown value straight from the state: the dictionary of shown values is built only when
    /// the type has rules to give it to (every local write validates the record it makes).
    public func validate(shownValuesOf state: RecordState, toleratingMissing: Set<String> = [])
        throws(RecordValidationError)
    {
        for spec in fields where spec.isRequired {
            // `shownValues` leaves the lifecycle field out.
            let value = spec.name == RecordState.lifecycleField ? FieldValue.null : state.value(spec.name)
            if value.isNull && !toleratingMissing.contains(spec.name) {
                throw RecordValidationError(field: spec.name, message: "\(spec.name) is required for a \(name)")
            }
        }
        guard !rules.isEmpty else { return }
        let values = state.shownValues
        for rule in rules {
            if let problem = rule.check(values) { throw RecordValidationError(field: nil, message: problem) }
        }
    }
}

extension String {
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }
}
