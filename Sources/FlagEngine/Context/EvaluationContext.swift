/// The context the engine evaluates against: one value per interned `ContextField`, plus the
/// deterministic random stream that random rollouts draw from and the host name for
/// `applicationHostname`.
///
/// Build one, set its fields, and evaluate as many flags as you like with it; reuse it for the next
/// user by setting new values. Setting a field whose value fits in a small string (15 UTF-8 bytes)
/// does not allocate, and evaluation never does.
public struct EvaluationContext: Sendable {
  @usableFromInline var values: ContiguousArray<String?>
  /// The machine name `applicationHostname` compares with; `nil` means no strategy of that kind matches.
  public var hostname: String?
  @usableFromInline var random: SplitMix64

  /// An empty context whose random stream starts from `seed`.
  public init(seed: UInt64 = 0) {
    values = ContiguousArray(repeating: nil, count: max(FieldRegistry.shared.count, 8))
    random = SplitMix64(seed: seed)
  }

  /// A context holding the fields of `context`.
  public init(_ context: Context, seed: UInt64 = 0) {
    self.init(seed: seed)
    set(context)
  }

  /// Replaces every value with those of `context`.
  public mutating func set(_ context: Context) {
    removeAll()
    self[.userId] = context.userId
    self[.sessionId] = context.sessionId
    self[.environment] = context.environment
    self[.appName] = context.appName
    self[.currentTime] = context.currentTime
    self[.remoteAddress] = context.remoteAddress
    for (name, value) in context.properties {
      self[ContextField(property: name)] = value
    }
  }

  /// Clears every field; keeps the storage for reuse.
  public mutating func removeAll() {
    for index in values.indices { values[index] = nil }
  }

  /// The value of `field`, or `nil` when absent.
  @inlinable
  public subscript(field: ContextField) -> String? {
    get { field.slot < values.count ? values[field.slot] : nil }
    set {
      if field.slot >= values.count {
        if newValue == nil { return }
        values.append(contentsOf: repeatElement(nil, count: field.slot + 1 - values.count))
      }
      values[field.slot] = newValue
    }
  }

  /// The value a rule reads for `field`: the field's value, except that a missing `currentTime`
  /// reads as the wall clock (Unleash's rule; a simulation sets `currentTime` to keep runs reproducible).
  @inlinable
  func resolve(_ field: ContextField) -> String? {
    if let value = self[field] { return value }
    return field == .currentTime ? Timestamp.now().iso8601 : nil
  }

  /// Restarts the random stream (gradualRolloutRandom, `random` stickiness, unsticky variants).
  public mutating func reseed(_ seed: UInt64) { random = SplitMix64(seed: seed) }
}

/// A small, fast, seedable generator (Steele, Lea and Flood's SplitMix64).
@frozen
public struct SplitMix64: RandomNumberGenerator, Sendable {
  @usableFromInline var state: UInt64

  @inlinable public init(seed: UInt64) { state = seed }

  @inlinable
  public mutating func next() -> UInt64 {
    state &+= 0x9e37_79b9_7f4a_7c15
    var z = state
    z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
    z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
    return z ^ (z >> 31)
  }

  /// A uniform integer in `0..<bound` (Lemire's multiply-shift; the bias is below 2^-32 for small bounds).
  @inlinable
  public mutating func next(below bound: UInt32) -> UInt32 {
    UInt32(truncatingIfNeeded: (UInt64(UInt32(truncatingIfNeeded: next() >> 32)) &* UInt64(bound)) >> 32)
  }
}
