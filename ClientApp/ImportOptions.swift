import ArgumentParser
import HearthCLI
import Replica
import SyncCore

/// The file and flags of `hearth member import` and `hearth activity import`, and the run they share.
struct ImportOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("The CSV file to import.", valueName: "file")) var file: String
    @Flag(help: "Check the file and report what would be added, updated and left unchanged, writing nothing.")
    var dryRun = false
    @Flag(help: "Skip columns whose header is not a field, instead of refusing the file.")
    var ignoreUnknown = false
    @Flag(help: "Print the result as JSON.") var json = false

    /// Reads and checks the file, matches its rows with the replica's records and writes (or, with
    /// `--dry-run`, only reports) what changes: added, updated and unchanged counts.
    func run(as kind: ImportableType, global: GlobalOptions) throws {
        let replica = try global.openReplica()
        let batch = try RecordImport.prepare(file: file, as: kind, ignoreUnknown: ignoreUnknown)
        if let note = batch.skippedColumnsNote { StandardError.write(note) }
        if dryRun {
            let plan = try replica.read { reader in try batch.plan(against: reader) }
            print(json ? batch.dryRunJSON(plan).rendered() : batch.dryRunText(plan))
        } else {
            let plan = try batch.apply(to: replica)
            print(json ? batch.importedJSON(plan).rendered() : batch.importedText(plan))
        }
    }

    /// The discussion of an import command: encodings, headers, the matching key, all or nothing.
    static func discussion(_ kind: ImportableType, headers: String) -> String {
        """
        The file may be UTF-8 (with or without BOM) or GBK/GB18030, as Chinese Excel saves it. Its \
        header row names the columns: the field names (\(kind.type.fields.map(\.name).joined(separator: ", "))) \
        or Chinese headers such as \(headers). Every row is checked before anything is written; one bad \
        row refuses the whole file, naming its row and column. Rows are matched with the stored \
        \(kind.plural) by \(kind.match.summary): a match is updated only in the fields whose value differs \
        (empty cells never erase anything), so importing a file again adds nothing. Two rows for one \
        \(kind.type.name), or a row that fits several stored ones, refuse the file.
        """
    }
}
