extension JSONReader {
    /// Consumes one value of any type, checking that it is valid JSON.
    ///
    /// Receivers ignore members they do not know (PROTOCOL.md §2), but a body with a broken
    /// unknown member is still not JSON and is refused like any other. Recursion is bounded by
    /// `maxDepth`: `beginObject`/`beginArray` refuse to go deeper.
    mutating func skipValue() throws(WireJSONError) {
        switch try peekKind() {
        case .object:
            var object = try beginObject()
            while try nextMember(&object) {
                try checkSkipped(try scanString())
                try consumeColon()
                try skipValue()
            }
        case .array:
            var array = try beginArray()
            while try nextElement(&array) { try skipValue() }
        case .string:
            try skipString()
        case .number:
            try skipNumber()
        case .bool:
            _ = try readBool()
        case .null:
            try consumeLiteral("null")
        }
    }
}
