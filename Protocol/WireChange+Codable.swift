extension WireChange: Codable {
    private enum CodingKeys: String, CodingKey { case type, id, vector, fields }

    /// Keeps the members as they are, valid or not: `recordState()` checks them.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            members: Members(
                type: try container.decode(String.self, forKey: .type),
                id: try container.decode(String.self, forKey: .id),
                vector: try container.decode([String: UInt64].self, forKey: .vector),
                fields: try container.decode([String: [Version]].self, forKey: .fields)))
    }

    public func encode(to encoder: any Encoder) throws {
        let members = self.members
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(members.type, forKey: .type)
        try container.encode(members.id, forKey: .id)
        try container.encode(members.vector, forKey: .vector)
        try container.encode(members.fields, forKey: .fields)
    }
}
