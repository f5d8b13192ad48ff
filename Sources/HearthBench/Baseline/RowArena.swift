/// The rows' text in one block of NUL-terminated UTF-8, so inserts bind pointers with
/// `SQLITE_STATIC` and no copies, as a C program holding its rows in memory would.
final class RowArena {
    static let columnsPerRow = 1 + MemberRow.columnNames.count

    let rowCount: Int
    private let bytes: UnsafeMutablePointer<CChar>
    private let offsets: [Int]
    private let lengths: [Int32]

    init(_ rows: [MemberRow]) {
        var offsets: [Int] = []
        var lengths: [Int32] = []
        offsets.reserveCapacity(rows.count * Self.columnsPerRow)
        lengths.reserveCapacity(rows.count * Self.columnsPerRow)
        var size = 0
        for row in rows {
            for text in [row.id] + row.columns {
                offsets.append(size)
                lengths.append(Int32(text.utf8.count))
                size += text.utf8.count + 1
            }
        }
        let bytes = UnsafeMutablePointer<CChar>.allocate(capacity: max(size, 1))
        var index = 0
        for row in rows {
            for text in [row.id] + row.columns {
                for byte in text.utf8 {
                    bytes[index] = CChar(bitPattern: byte)
                    index += 1
                }
                bytes[index] = 0
                index += 1
            }
        }
        self.rowCount = rows.count
        self.bytes = bytes
        self.offsets = offsets
        self.lengths = lengths
    }

    deinit { bytes.deallocate() }

    /// Column `column` of row `row` (0 is the id) and its length in bytes.
    @inline(__always)
    func text(row: Int, column: Int) -> (pointer: UnsafePointer<CChar>, length: Int32) {
        let index = row * Self.columnsPerRow + column
        return (UnsafePointer(bytes + offsets[index]), lengths[index])
    }
}
