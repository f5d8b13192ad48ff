import ArgumentParser
import Foundation
import HearthCLI
import Replica
import SyncCore

/// `hearth conflicts list|show|resolve`.
struct ConflictsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conflicts", abstract: "Review and settle conflicting concurrent edits.",
        subcommands: [List.self, Show.self, Resolve.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List open conflicts.")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let conflicts = try global.openReplica().read { try $0.conflicts() }
            if json {
                print(JSONValue.array(conflicts.map(\.json)).rendered())
                return
            }
            if conflicts.isEmpty {
                print("no open conflicts")
                return
            }
            var table = TextTable(headers: ["id", "record", "field", "shown", "other"])
            for conflict in conflicts {
                table.append([
                    conflict.id,
                    "\(conflict.recordType) \(conflict.recordLabel ?? String(conflict.recordID.prefix(8)))",
                    conflict.field, "\(conflict.shown.value) (\(conflict.shown.nodeName))",
                    conflict.sides.filter { !$0.isShown }.map { "\($0.value) (\($0.nodeName))" }.joined(
                        separator: "; "),
                ])
            }
            print(table.render())
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Explain one conflict.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The conflict id (or a unique prefix).") var id: String
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let conflict = try global.openReplica().read { try $0.conflict(id) }
            if json {
                print(conflict.json.rendered())
                return
            }
            print(conflict.explanation)
            var list = KeyValueList()
            list.append("conflict", conflict.id)
            list.append("record", "\(conflict.recordType) \(conflict.recordID)")
            list.append("field", conflict.field)
            for side in conflict.sides {
                list.append(
                    side.isShown ? "shown" : "other",
                    "\(side.value.isNull ? "(empty)" : side.value.description)  by \(side.nodeName) at \(ConflictReport.display(side.wallTime)), write \(side.dot)"
                )
            }
            list.append("resolve with", "hearth conflicts resolve \(conflict.id) --keep local|remote, or --value V")
            print(list.render())
        }
    }

    struct Resolve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Settle a conflict with a new write that every replica will accept.",
            discussion: """
                --keep local keeps this node's side (the value this node wrote, else the one shown here); \
                --keep remote keeps the other side; --value writes a new value.
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The conflict id (or a unique prefix).") var id: String
        @Option(help: "local or remote.") var keep: String?
        @Option(help: "A new value for the field.") var value: String?

        func validate() throws {
            guard (keep == nil) != (value == nil) else {
                throw ValidationError("give exactly one of --keep local|remote or --value V")
            }
            if let keep, keep != "local", keep != "remote" { throw ValidationError("--keep takes local or remote") }
        }

        func run() throws {
            let replica = try global.openReplica()
            let resolution: ConflictResolution =
                value.map { .value($0) } ?? (keep == "local" ? .keepLocal : .keepRemote)
            let state = try replica.write { tx in
                let conflict = try tx.reader.conflict(id)
                return (conflict, try tx.resolve(conflict, resolution))
            }
            let field = state.0.field
            let shown = state.1.value(field)
            print(
                "resolved \(state.0.id): \(field) is now \(shown.isNull ? "(empty)" : shown.description); run `hearth sync` to close it everywhere"
            )
        }
    }
}

extension ConflictReport {
    var json: JSONValue {
        .object([
            "id": .string(id), "recordType": .string(recordType), "recordId": .string(recordID),
            "record": .string(orNull: recordLabel), "field": .string(field),
            "explanation": .string(explanation),
            "sides": .array(
                sides.map { side in
                    .object([
                        "value": side.value.json, "node": .string(side.dot.node.rawValue),
                        "nodeName": .string(side.nodeName),
                        "counter": .integer(Int64(side.dot.counter)),
                        "at": .string(ConflictReport.display(side.wallTime)),
                        "shown": .bool(side.isShown), "local": .bool(side.isLocal),
                    ])
                }),
        ])
    }

    static func display(_ milliseconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = .current
        return formatter.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
    }
}

extension FieldValue {
    var json: JSONValue {
        switch self {
        case .null: .null
        case .text(let text): .string(text)
        case .integer(let number): .integer(number)
        }
    }
}
