/// The context the engine evaluates against: one value per interned `ContextField`, the deterministic
/// random stream that random rollouts draw from, and the host name for `applicationHostname`.
///
/// Build one, set its fields, and evaluate as many flags as you like with it; reuse it for the next
/// user with `removeAll()` and new values: the storage is kept, so refilling it does not allocate once
/// it has grown to its working size. Evaluation never allocates.
///
/// A value type with copy-on-write storage. The storage's addresses are kept in the value itself, so
/// evaluation reads plain memory and never touches a reference count.
public struct EvaluationContext: @unchecked Sendable {
  /// Owns the memory below; unique before any write.
  @usableFromInline var owner: ContextStorage
  /// Per field slot: `offset << 32 | (length + 1)` into `text`; 0 when the field is absent.
  @usableFromInline var spans: UnsafeMutablePointer<UInt64>
  @usableFromInline var slotCount: Int
  /// The values' UTF-8 bytes, back to back.
  @usableFromInline var text: UnsafeMutablePointer<UInt8>
  @usableFromInline var textCount: Int
  /// Kept here, not read from `owner`: a class's stored properties cost a runtime exclusivity check.
  @usableFromInline var textCapacity: Int
  @usableFromInline var random: SplitMix64

  /// An empty context whose random stream starts from `seed`.
  public init(seed: UInt64 = 0) {
    owner = ContextStorage(slots: max(FieldRegistry.shared.count, 8), textCapacity: 48)
    spans = owner.spans
    slotCount = owner.slotCount
    text = owner.text
    textCount = 0
    textCapacity = owner.textCapacity
    random = SplitMix64(seed: seed)
  }

  /// A context holding the fields of `context`.
  public init(_ context: Context, seed: UInt64 = 0) {
    self.init(seed: seed)
    set(context)
  }

  /// Replaces every value with those of `context`.
  ///
  /// As in Unleash's reference engine, a property named `userId`, `sessionId`, `environment` or
  /// `remoteAddress` stands in for that field when the context does not set it. The host name is kept.
  public mutating func set(_ context: Context) {
    let hostname = self.hostname
    removeAll()
    self.hostname = hostname
    self[.userId] = context.userId ?? context.properties["userId"]
    self[.sessionId] = context.sessionId ?? context.properties["sessionId"]
    self[.environment] = context.environment ?? context.properties["environment"]
    self[.appName] = context.appName
    self[.currentTime] = context.currentTime
    self[.remoteAddress] = context.remoteAddress ?? context.properties["remoteAddress"]
    for (name, value) in context.properties.sorted(by: { $0.key < $1.key }) {
      self[ContextField(property: name)] = value
    }
  }

  /// Clears every field, the host name included; keeps the storage for reuse.
  public mutating func removeAll() {
    makeUnique()
    spans.update(repeating: 0, count: slotCount)
    textCount = 0
  }

  /// The machine name `applicationHostname` compares with (without regard to case); `nil` means no
  /// strategy of that kind matches, as in Unleash's reference engine.
  public var hostname: String? {
    get { self[.hostname] }
    set { self[.hostname] = newValue?.lowercased() }
  }

  /// The value of `field`, or `nil` when absent.
  public subscript(field: ContextField) -> String? {
    get { values.value(field.slot).map { String(decoding: $0, as: UTF8.self) } }
    set {
      if var newValue {
        newValue.withUTF8 { set(field, utf8: $0) }
      } else {
        set(field, utf8: nil)
      }
    }
  }

  /// Sets `field` from UTF-8 bytes (`nil` removes it). Allocates only when the storage must grow.
  @inlinable
  public mutating func set(_ field: ContextField, utf8 bytes: UnsafeBufferPointer<UInt8>?) {
    let slot = field.slot
    if slot >= slotCount && bytes == nil { return }
    makeUnique()
    if slot >= slotCount { growSlots(to: slot + 1) }
    // A value at the end of the text is overwritten in place, the usual case when a context is refilled.
    let old = spans[slot]
    if old != 0 && Int(old >> 32) + Int(old & 0xffff_ffff) - 1 == textCount {
      textCount = Int(old >> 32)
    }
    guard let bytes else {
      spans[slot] = 0
      return
    }
    if textCount + bytes.count > textCapacity { growText(to: textCount + bytes.count) }
    if let base = bytes.baseAddress {
      // Short values (ids, versions, names) are copied byte by byte: cheaper than a call to memmove.
      if bytes.count <= 16 {
        for index in 0..<bytes.count { text[textCount + index] = base[index] }
      } else {
        (text + textCount).update(from: base, count: bytes.count)
      }
    }
    spans[slot] = UInt64(textCount) << 32 | UInt64(bytes.count + 1)
    textCount += bytes.count
  }

  /// Restarts the random stream (gradualRolloutRandom, `random` stickiness, unsticky variants).
  public mutating func reseed(_ seed: UInt64) { random = SplitMix64(seed: seed) }

  /// Read access to the values, for one evaluation.
  @inline(__always)
  var values: ContextValues {
    ContextValues(spans: UnsafePointer(spans), slotCount: slotCount, text: UnsafePointer(text))
  }

  @inlinable
  mutating func makeUnique() {
    if !isKnownUniquelyReferenced(&owner) {
      owner = owner.copy(textCount: textCount)
      spans = owner.spans
      text = owner.text
    }
  }

  @usableFromInline
  mutating func growSlots(to count: Int) {
    owner.grow(slots: max(count, slotCount + 8), textCapacity: textCapacity, keeping: textCount)
    spans = owner.spans
    slotCount = owner.slotCount
    text = owner.text
  }

  @usableFromInline
  mutating func growText(to count: Int) {
    textCapacity = max(count, textCapacity * 2)
    owner.grow(slots: slotCount, textCapacity: textCapacity, keeping: textCount)
    spans = owner.spans  // one block holds both
    text = owner.text
  }
}

/// The memory of an `EvaluationContext`: one block holding the slot table followed by the text, so
/// that evaluation touches one region per context (contexts built together sit together in memory).
@usableFromInline
final class ContextStorage {
  private(set) var block: UnsafeMutableRawPointer
  private(set) var slotCount: Int
  private(set) var textCapacity: Int

  @usableFromInline var spans: UnsafeMutablePointer<UInt64> { block.assumingMemoryBound(to: UInt64.self) }
  @usableFromInline var text: UnsafeMutablePointer<UInt8> { (block + slotCount * 8).assumingMemoryBound(to: UInt8.self) }

  init(slots: Int, textCapacity: Int) {
    block = Self.allocate(slots: slots, textCapacity: textCapacity)
    slotCount = slots
    self.textCapacity = textCapacity
  }

  deinit { block.deallocate() }

  private static func allocate(slots: Int, textCapacity: Int) -> UnsafeMutableRawPointer {
    let block = UnsafeMutableRawPointer.allocate(byteCount: slots * 8 + textCapacity, alignment: 8)
    block.initializeMemory(as: UInt64.self, repeating: 0, count: slots)
    block.advanced(by: slots * 8).initializeMemory(as: UInt8.self, repeating: 0, count: textCapacity)
    return block
  }

  @usableFromInline
  func copy(textCount: Int) -> ContextStorage {
    let copy = ContextStorage(slots: slotCount, textCapacity: textCapacity)
    copy.block.copyMemory(from: block, byteCount: slotCount * 8 + textCount)
    return copy
  }

  /// Moves to a larger block; `textCount` bytes of text are kept.
  func grow(slots: Int, textCapacity: Int, keeping textCount: Int) {
    let grown = Self.allocate(slots: slots, textCapacity: textCapacity)
    grown.copyMemory(from: block, byteCount: slotCount * 8)
    (grown + slots * 8).copyMemory(from: block + slotCount * 8, byteCount: textCount)
    block.deallocate()
    block = grown
    slotCount = slots
    self.textCapacity = textCapacity
  }
}

/// Read access to a context's values during one evaluation.
struct ContextValues {
  let spans: UnsafePointer<UInt64>
  let slotCount: Int
  let text: UnsafePointer<UInt8>

  /// The bytes of the field in `slot`, or `nil` when it is absent.
  @inline(__always)
  func value(_ slot: Int) -> UnsafeBufferPointer<UInt8>? {
    guard slot < slotCount else { return nil }
    let packed = spans[slot]
    if packed == 0 { return nil }
    return UnsafeBufferPointer(start: text + Int(packed >> 32), count: Int(packed & 0xffff_ffff) - 1)
  }
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
