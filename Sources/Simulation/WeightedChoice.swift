/// A choice among `n` outcomes with given weights, drawn in O(1) by Walker's alias method
/// (built with Vose's algorithm, 1991).
///
/// ```swift
/// let region = try WeightedChoice(weights: [0.5, 0.3, 0.2])
/// let index = region.sample(using: &stream)   // 0, 1 or 2
/// ```
///
/// Building is O(n) and deterministic (no randomness, exact order of operations); each draw uses two
/// words of the stream, whatever the weights.
public struct WeightedChoice: Hashable, Sendable {
  /// For each slot, the probability of keeping the slot's own outcome rather than its alias.
  @usableFromInline
  let thresholds: ContiguousArray<Double>

  /// For each slot, the outcome drawn when the slot's own one is not kept.
  @usableFromInline
  let aliases: ContiguousArray<UInt32>

  /// The normalised weights.
  public let probabilities: [Double]

  /// A choice among `weights.count` outcomes, outcome `i` with probability `weights[i] / sum(weights)`.
  ///
  /// - Throws: ``SimulationError/Code/invalidWeights`` if there is no weight, more than 2^32, a weight
  ///   that is negative or not finite, or if their sum is zero or not finite.
  public init(weights: [Double]) throws(SimulationError) {
    guard !weights.isEmpty, weights.count <= Int(UInt32.max) else {
      throw SimulationError(
        code: .invalidWeights, message: "a weighted choice needs between 1 and 2^32 weights, not \(weights.count)")
    }
    if let bad = weights.firstIndex(where: { !($0.isFinite && $0 >= 0) }) {
      throw SimulationError(
        code: .invalidWeights,
        message: "weight \(bad) is \(weights[bad]); weights must be finite and not negative")
    }
    let total = weights.reduce(0, +)
    guard total > 0, total.isFinite else {
      throw SimulationError(
        code: .invalidWeights, message: "the weights add up to \(total); they must add up to a positive finite number")
    }
    let count = weights.count
    var scaled = weights.map { $0 * Double(count) / total }
    var thresholds = ContiguousArray(repeating: 1.0, count: count)
    var aliases = ContiguousArray((0..<count).map { UInt32($0) })
    var small: [Int] = []
    var large: [Int] = []
    for index in 0..<count {
      if scaled[index] < 1 { small.append(index) } else { large.append(index) }
    }
    while !small.isEmpty && !large.isEmpty {
      let lesser = small.removeLast()
      let greater = large.removeLast()
      thresholds[lesser] = scaled[lesser]
      aliases[lesser] = UInt32(greater)
      scaled[greater] = (scaled[greater] + scaled[lesser]) - 1
      if scaled[greater] < 1 { small.append(greater) } else { large.append(greater) }
    }
    // Left over only through rounding: each such slot keeps its own outcome (threshold 1), unless its
    // weight is zero, in which case it must never be drawn.
    let heaviest = weights.indices.max { weights[$0] < weights[$1] }!
    for index in small where weights[index] == 0 {
      thresholds[index] = 0
      aliases[index] = UInt32(heaviest)
    }
    self.thresholds = thresholds
    self.aliases = aliases
    self.probabilities = weights.map { $0 / total }
  }

  /// The number of outcomes.
  @inlinable
  public var count: Int { thresholds.count }

  /// An outcome in `0 ..< count`, drawn with the weights' probabilities. O(1), two words of `stream`.
  @inlinable
  public func sample(using stream: inout RandomStream) -> Int {
    let slot = stream.nextInt(below: thresholds.count)
    return stream.nextDouble() < thresholds[slot] ? slot : Int(aliases[slot])
  }
}
