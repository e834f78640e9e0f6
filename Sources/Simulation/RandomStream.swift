/// What a random stream is used for, so that one entity's streams for different purposes are independent.
///
/// Define purposes once, as constants; the name is hashed (FNV-1a, 64 bits, over its UTF-8 bytes), so
/// the same name gives the same streams on every platform and in every run.
///
/// ```swift
/// extension StreamPurpose {
///   static let sessions = StreamPurpose("fleet.sessions")
///   static let faults = StreamPurpose("fleet.faults")
/// }
/// ```
public struct StreamPurpose: Hashable, Sendable, BitwiseCopyable, RawRepresentable {
  /// The number mixed into the stream's seed.
  public var rawValue: UInt64

  @inlinable
  public init(rawValue: UInt64) {
    self.rawValue = rawValue
  }

  /// The purpose named `name`: the FNV-1a hash of its UTF-8 bytes. O(length of name).
  @inlinable
  public init(_ name: String) {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in name.utf8 {
      hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
    }
    self.rawValue = hash
  }
}

/// The source of every random stream of a run: one seed, from which each `(entity, purpose, index)`
/// derives its own independent ``RandomStream``.
///
/// A device's draws then depend only on the seed, the device and what they are for; not on the order in
/// which events happen, on which other streams exist, or on how the fleet is cut into partitions.
///
/// ```swift
/// let streams = RandomStreams(seed: 42)
/// var sessions = streams.stream(entity: UInt64(device), purpose: .sessions)
/// let gap = sessions.exponential(mean: 3_600)
/// ```
public struct RandomStreams: Hashable, Sendable {
  /// The run's seed.
  public var seed: UInt64

  @inlinable
  public init(seed: UInt64) {
    self.seed = seed
  }

  /// The stream of `entity` for `purpose`. O(1): a few multiplications, no allocation.
  ///
  /// `index` gives further independent streams for the same entity and purpose, for example one per
  /// occurrence (the n-th session of a device), when keeping a stream's state between events costs more
  /// than deriving a new one.
  @inlinable
  public func stream(entity: UInt64, purpose: StreamPurpose, index: UInt64 = 0) -> RandomStream {
    RandomStream(seed: seed, entity: entity, purpose: purpose, index: index)
  }
}

/// A fast, deterministic generator of 64-bit random numbers: xoshiro256** (Blackman and Vigna, 2018).
///
/// Its 256-bit state is derived from `(seed, entity, purpose, index)` by chaining the SplitMix64
/// finaliser, a bijection with full avalanche, so that streams differing in any one component start
/// from different states, and the state is filled from that by SplitMix64 as the authors recommend.
/// Only integer arithmetic: the same numbers on every platform, with every compiler.
///
/// Conforms to `RandomNumberGenerator`, so it also works with the standard library's `random(in:using:)`,
/// but those algorithms may change between Swift versions; the methods in `Distributions.swift` are
/// fixed.
///
/// Complexity: ``next()`` O(1), a few nanoseconds; 32 bytes of state.
public struct RandomStream: RandomNumberGenerator, Hashable, Sendable, BitwiseCopyable {
  @usableFromInline var s0: UInt64
  @usableFromInline var s1: UInt64
  @usableFromInline var s2: UInt64
  @usableFromInline var s3: UInt64

  /// The stream of `entity` for `purpose` under `seed`; the same as
  /// `RandomStreams(seed: seed).stream(entity: entity, purpose: purpose, index: index)`.
  @inlinable
  public init(seed: UInt64, entity: UInt64, purpose: StreamPurpose, index: UInt64 = 0) {
    var hash = Self.mix(seed ^ 0x243F_6A88_85A3_08D3)
    // For fixed earlier components each step is a bijection of the next one (odd multiplier, then mix).
    hash = Self.mix(hash &+ entity &* 0x9E37_79B9_7F4A_7C15)
    hash = Self.mix(hash &+ purpose.rawValue &* 0xD1B5_4A32_D192_ED03)
    hash = Self.mix(hash &+ index &* 0xAEF1_7502_108E_F2D9)
    self.init(splitMixSeed: hash)
  }

  /// A stream whose state is the first four outputs of SplitMix64 started at `seed`; never all zero.
  @inlinable
  public init(splitMixSeed seed: UInt64) {
    var state = seed
    s0 = Self.splitMix64(&state)
    s1 = Self.splitMix64(&state)
    s2 = Self.splitMix64(&state)
    s3 = Self.splitMix64(&state)
  }

  /// A stream with exactly this state, for checking against the reference implementation.
  ///
  /// - Precondition: not all four words are zero.
  @inlinable
  init(state s0: UInt64, _ s1: UInt64, _ s2: UInt64, _ s3: UInt64) {
    precondition(s0 | s1 | s2 | s3 != 0, "RandomStream: the all-zero state generates only zeros")
    (self.s0, self.s1, self.s2, self.s3) = (s0, s1, s2, s3)
  }

  /// The next 64 random bits.
  @inlinable
  public mutating func next() -> UInt64 {
    let result = (s1 &* 5).rotatedLeft(by: 7) &* 9
    let shifted = s1 &<< 17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= shifted
    s3 = s3.rotatedLeft(by: 45)
    return result
  }

  /// The SplitMix64 finaliser (Stafford's mix 13): a bijection of 64-bit words with full avalanche.
  @inlinable
  public static func mix(_ value: UInt64) -> UInt64 {
    var z = value
    z = (z ^ (z &>> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z &>> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z &>> 31)
  }

  /// One step of SplitMix64: advances `state` by the golden gamma and returns its mix.
  @inlinable
  static func splitMix64(_ state: inout UInt64) -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    return mix(state)
  }
}

extension UInt64 {
  @inlinable
  func rotatedLeft(by amount: UInt64) -> UInt64 {
    (self &<< amount) | (self &>> (64 &- amount))
  }
}
