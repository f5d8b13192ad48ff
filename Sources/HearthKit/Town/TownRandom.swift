import SyncCore

/// A seeded random generator (SplitMix64), so the same seed builds the same town.
struct TownRandom: RandomNumberGenerator {
    private var source: SplitMix64

    init(seed: UInt64) { source = SplitMix64(seed: seed) }

    mutating func next() -> UInt64 { source.next() }

    /// A random lowercase UUID (version 4 layout).
    mutating func uuid() -> String {
        let a = next()
        let b = next()
        func hex(_ value: UInt64, _ digits: Int) -> String {
            let text = String(value, radix: 16)
            return String(repeating: "0", count: max(0, digits - text.count)) + text
        }
        return "\(hex(a >> 32, 8))-\(hex((a >> 16) & 0xFFFF, 4))-4\(hex(a & 0xFFF, 3))-"
            + "\(hex(0x8000 | (b >> 48) & 0x3FFF, 4))-\(hex(b & 0xFFFF_FFFF_FFFF, 12))"
    }

    /// `count` distinct indices below `upper` (Floyd's algorithm), in random order.
    mutating func distinct(_ count: Int, below upper: Int) -> [Int] {
        precondition(count <= upper)
        var chosen: Set<Int> = []
        var order: [Int] = []
        for j in (upper - count)..<upper {
            let t = Int.random(in: 0...j, using: &self)
            let pick = chosen.contains(t) ? j : t
            chosen.insert(pick)
            order.append(pick)
        }
        return order.shuffled(using: &self)
    }

    /// `total` split into `parts` whole numbers of at least `minimum` each, unevenly but exactly.
    mutating func split(_ total: Int64, into parts: Int, minimum: Int64 = 0) -> [Int64] {
        precondition(parts > 0 && total >= minimum * Int64(parts))
        let rest = total - minimum * Int64(parts)
        let weights = (0..<parts).map { _ in Int64.random(in: 1...100, using: &self) }
        let sum = weights.reduce(0, +)
        var shares = weights.map { minimum + rest * $0 / sum }
        shares[parts - 1] += total - shares.reduce(0, +)
        return shares
    }

    mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &self)] }
}
