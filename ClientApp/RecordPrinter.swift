import HearthCLI
import Replica
import SyncCore

/// Prints records the way every record command does: JSON only with `--json`, else text.
enum RecordPrinter {
    static func list(_ records: [RecordSnapshot], type: RecordType, json: Bool, filtered: Bool) {
        if json {
            print(JSONValue.array(records.map(\.json)).rendered())
        } else if records.isEmpty {
            print(RecordListing.emptyMessage(type, filtered: filtered))
        } else {
            print(RecordListing.table(records, type: type).render())
        }
    }

    static func record(_ record: RecordSnapshot, json: Bool) {
        print(json ? record.json.rendered() : RecordListing.detail(record))
    }

    static func edited(_ record: RecordSnapshot, json: Bool) {
        print(json ? record.json.rendered() : "updated \(record.type.name) \(record.id)")
    }
}
