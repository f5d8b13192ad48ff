/// A small, fast, seeded random number generator (SeededGenerator), shared by every test target.
///
/// Everything random in a randomised test (a convergence schedule's operations, sync order,
/// faults, record ids and node ids; a property test's cases) is drawn from generators seeded
/// from the case's seed, in a fixed order, so a seed replays the same case exactly.
public struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// An independent generator for another part of the simulation, so adding draws in one
    /// part does not shift the draws of the others.
    public mutating func fork() -> SeededGenerator {
        SeededGenerator(seed: next())
    }

    /// True with probability `perMille` / 1000.
    public mutating func chance(_ perMille: Int) -> Bool {
        perMille > 0 && Int.random(in: 0..<1000, using: &self) < perMille
    }

    public mutating func int(_ range: ClosedRange<Int>) -> Int {
        Int.random(in: range, using: &self)
    }

    public mutating func pick<T>(_ items: [T]) -> T? {
        items.isEmpty ? nil : items[Int.random(in: 0..<items.count, using: &self)]
    }

    /// One of `choices`, each as likely as its weight; weights of zero are never chosen.
    public mutating func weighted<T>(_ choices: [(T, Int)]) -> T {
        let total = choices.reduce(0) { $0 + max($1.1, 0) }
        precondition(total > 0, "at least one choice needs a positive weight")
        var roll = Int.random(in: 0..<total, using: &self)
        for (choice, weight) in choices where weight > 0 {
            if roll < weight { return choice }
            roll -= weight
        }
        fatalError("unreachable: the roll is below the total weight")
    }

    /// A lowercase UUID drawn from this generator (a deterministic stand-in for `UUIDText.random()`).
    public mutating func uuid() -> String {
        var bytes: [UInt8] = []
        for _ in 0..<2 {
            let word = next()
            for shift in stride(from: 0, to: 64, by: 8) {
                bytes.append(UInt8(truncatingIfNeeded: word >> UInt64(shift)))
            }
        }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = bytes.map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
        let parts = [
            hex.prefix(8), hex.dropFirst(8).prefix(4), hex.dropFirst(12).prefix(4), hex.dropFirst(16).prefix(4),
            hex.dropFirst(20),
        ]
        return parts.joined(separator: "-")
    }
}
