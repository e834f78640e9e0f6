import Foundation

/// The controller's own seeded generator (SplitMix64), for human response times.
///
/// Derived from the run's seed and the policy's name, so a policy's draws depend on nothing else the
/// simulation draws, and the same windows and seed give the same draws.
struct PolicyRandom: RandomNumberGenerator, Sendable {
  var state: UInt64

  init(seed: UInt64, purpose: String) {
    // FNV-1a of the purpose, mixed into the seed.
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in purpose.utf8 {
      hash ^= UInt64(byte)
      hash &*= 0x0000_0100_0000_01b3
    }
    state = seed ^ hash
    state = next()
  }

  mutating func next() -> UInt64 {
    state &+= 0x9e37_79b9_7f4a_7c15
    var z = state
    z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
    z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
    return z ^ (z >> 31)
  }
}

extension RandomNumberGenerator {
  /// A uniform double in the open interval (0, 1).
  mutating func nextUnit() -> Double {
    (Double(next() >> 11) + 0.5) / 9_007_199_254_740_992.0
  }

  /// A standard normal draw (Box-Muller, one of the pair).
  mutating func nextNormal() -> Double {
    let u = nextUnit()
    let v = nextUnit()
    return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
  }
}
