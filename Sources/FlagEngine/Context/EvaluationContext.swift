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
  /// The block: per field slot, `offset << 32 | kind << 30 | (length + 1)` into the text that follows
  /// the slots (see `ContextValues`); 0 when the field is absent.
  @usableFromInline var spans: UnsafeMutablePointer<UInt64>
  @usableFromInline var slotCount: UInt32
  /// Bytes of text in use.
  @usableFromInline var textCount: UInt32
  @usableFromInline var random: SplitMix64
  // 32 bytes: an array of contexts evaluated in turn reads two to a cache line.

  /// The values' UTF-8 bytes, back to back, right after the slots.
  @usableFromInline var text: UnsafeMutablePointer<UInt8> {
    @inline(__always) get { UnsafeMutableRawPointer(spans + Int(slotCount)).assumingMemoryBound(to: UInt8.self) }
  }

  /// An empty context whose random stream starts from `seed`.
  public init(seed: UInt64 = 0) {
    owner = ContextStorage(slots: max(FieldRegistry.shared.count, 8), textCapacity: 32)
    spans = owner.spans
    slotCount = UInt32(owner.slotCount)
    textCount = 0
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
    spans.update(repeating: 0, count: Int(slotCount))
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
  ///
  /// A field that a compiled state reads as a number or a version (`NUM_*`, `SEMVER_*`) is parsed here,
  /// once, and the result kept beside the text: evaluations then compare numbers, not text.
  public mutating func set(_ field: ContextField, utf8 bytes: UnsafeBufferPointer<UInt8>?) {
    let slot = field.slot
    if slot >= slotCount && bytes == nil { return }
    makeUnique()
    if slot >= slotCount { growSlots(to: slot + 1) }
    var textCount = Int(self.textCount)
    // A value at the end of the text is overwritten in place, the usual case when a context is refilled.
    let old = spans[slot]
    if old != 0 && ContextValues.end(of: old) == textCount {
      textCount = ContextValues.offset(of: old)
    }
    guard let bytes else {
      spans[slot] = 0
      self.textCount = UInt32(textCount)
      return
    }
    precondition(bytes.count < ContextValues.maximumLength, "a context value of 1 GiB or more")
    let parsed = FieldRegistry.shared.isReadAsNumber(slot) ? ParsedValue(bytes) : nil
    let needed = bytes.count + (parsed == nil ? 0 : 8)
    if textCount + needed > owner.textCapacity { growText(to: textCount + needed, keeping: textCount) }
    let text = self.text
    if let base = bytes.baseAddress {
      // Short values (ids, versions, names) are copied byte by byte: cheaper than a call to memmove.
      if bytes.count <= 16 {
        for index in 0..<bytes.count { text[textCount + index] = base[index] }
      } else {
        (text + textCount).update(from: base, count: bytes.count)
      }
    }
    var packed = UInt64(textCount) << 32 | UInt64(bytes.count + 1)
    textCount += bytes.count
    if let parsed {
      // The parsed word follows the text, unaligned: padding would cost more cache than the load does.
      UnsafeMutableRawPointer(text + textCount).storeBytes(of: parsed.word, toByteOffset: 0, as: UInt64.self)
      textCount += 8
      packed |= UInt64(parsed.kind.rawValue) << ContextValues.kindShift
    }
    precondition(textCount <= UInt32.max, "a context of 4 GiB or more")
    spans[slot] = packed
    self.textCount = UInt32(textCount)
  }

  /// Restarts the random stream (gradualRolloutRandom, `random` stickiness, unsticky variants).
  public mutating func reseed(_ seed: UInt64) { random = SplitMix64(seed: seed) }

  /// Read access to the values, for one evaluation.
  @inline(__always)
  var values: ContextValues {
    ContextValues(spans: UnsafePointer(spans), slotCount: Int(slotCount), text: UnsafePointer(text))
  }

  @inlinable
  mutating func makeUnique() {
    if !isKnownUniquelyReferenced(&owner) {
      owner = owner.copy(textCount: Int(textCount))
      spans = owner.spans
    }
  }

  @usableFromInline
  mutating func growSlots(to count: Int) {
    owner = owner.grown(slots: max(count, Int(slotCount) + 8), textCapacity: owner.textCapacity, keeping: Int(textCount))
    spans = owner.spans
    slotCount = UInt32(owner.slotCount)
  }

  @usableFromInline
  mutating func growText(to count: Int, keeping textCount: Int) {
    owner = owner.grown(slots: Int(slotCount), textCapacity: max(count, owner.textCapacity * 2), keeping: textCount)
    spans = owner.spans  // one block holds both
  }
}

/// The memory of an `EvaluationContext`: one block holding the slot table followed by the text, so
/// that evaluation touches one region per context (contexts built together sit together in memory).
/// Eight zero bytes follow the text, so that evaluation may read any value's first eight bytes as one word.
/// Immutable but for the block's contents: a context that outgrows its storage moves to a new one.
@usableFromInline
final class ContextStorage {
  let block: UnsafeMutableRawPointer
  let slotCount: Int
  let textCapacity: Int

  @usableFromInline var spans: UnsafeMutablePointer<UInt64> { block.assumingMemoryBound(to: UInt64.self) }

  /// At least `textCapacity` bytes of text: the block is rounded up to whole cache lines, and the text
  /// takes the rest.
  init(slots: Int, textCapacity: Int) {
    let capacity = Self.capacity(slots: slots, text: textCapacity)
    block = UnsafeMutableRawPointer.allocate(byteCount: slots * 8 + capacity + 8, alignment: 64)
    block.initializeMemory(as: UInt8.self, repeating: 0, count: slots * 8 + capacity + 8)
    slotCount = slots
    self.textCapacity = capacity
  }

  /// The text capacity of the smallest block of whole 64-byte lines holding `slots` and `text` bytes.
  static func capacity(slots: Int, text: Int) -> Int {
    ((slots * 8 + text + 8 + 63) & ~63) - slots * 8 - 8
  }

  deinit { block.deallocate() }

  @usableFromInline
  func copy(textCount: Int) -> ContextStorage {
    let copy = ContextStorage(slots: slotCount, textCapacity: textCapacity)
    copy.block.copyMemory(from: block, byteCount: slotCount * 8 + textCount)
    return copy
  }

  /// A larger storage holding the slots and the first `textCount` bytes of text of this one.
  func grown(slots: Int, textCapacity: Int, keeping textCount: Int) -> ContextStorage {
    let grown = ContextStorage(slots: slots, textCapacity: textCapacity)
    grown.block.copyMemory(from: block, byteCount: slotCount * 8)
    (grown.block + slots * 8).copyMemory(from: block + slotCount * 8, byteCount: textCount)
    return grown
  }
}

/// Read access to a context's values during one evaluation.
///
/// Each slot holds 0 when the field is absent, else `offset << 32 | kind << 30 | (length + 1)`: where
/// the value's bytes lie in `text`, and whether a parsed word (`ParsedValue`) follows them in the
/// 8 bytes after them.
struct ContextValues {
  let spans: UnsafePointer<UInt64>
  let slotCount: Int
  let text: UnsafePointer<UInt8>

  static let kindShift: UInt64 = 30
  static let maximumLength = 1 << 30 - 1

  @inline(__always) static func offset(of packed: UInt64) -> Int { Int(packed >> 32) }
  @inline(__always) static func length(of packed: UInt64) -> Int { Int(packed & 0x3fff_ffff) - 1 }
  @inline(__always) static func kind(of packed: UInt64) -> ParsedValue.Kind {
    ParsedValue.Kind(rawValue: UInt8(truncatingIfNeeded: packed >> kindShift) & 3).unsafelyUnwrapped
  }
  /// Where the value's text, and its parsed word if any, end.
  @inline(__always) static func end(of packed: UInt64) -> Int {
    let textEnd = offset(of: packed) + length(of: packed)
    return kind(of: packed) == .none ? textEnd : textEnd + 8
  }

  /// The slot's packed span, 0 when the field is absent.
  @inline(__always)
  func packed(_ slot: Int) -> UInt64 { slot < slotCount ? spans[slot] : 0 }

  /// The bytes of the field in `slot`, or `nil` when it is absent.
  @inline(__always)
  func value(_ slot: Int) -> UnsafeBufferPointer<UInt8>? {
    let packed = packed(slot)
    if packed == 0 { return nil }
    return bytes(packed)
  }

  @inline(__always)
  func bytes(_ packed: UInt64) -> UnsafeBufferPointer<UInt8> {
    UnsafeBufferPointer(start: text + Self.offset(of: packed), count: Self.length(of: packed))
  }

  /// The parsed word of a value whose kind is not `.none`.
  @inline(__always)
  func parsedWord(_ packed: UInt64) -> UInt64 {
    UnsafeRawPointer(text + Self.offset(of: packed) + Self.length(of: packed)).loadUnaligned(as: UInt64.self)
  }

  /// The value as a `ShortWord` key: its bytes and length in one word when it has at most 7 bytes, else
  /// a key no short string has.
  @inline(__always)
  func shortKey(_ packed: UInt64) -> UInt64 {
    let length = (packed & 0x3fff_ffff) &- 1
    guard length <= 7 else { return ShortWord.long }
    let word = UInt64(littleEndian: UnsafeRawPointer(text + Self.offset(of: packed)).loadUnaligned(as: UInt64.self))
    return word & ((1 &<< (length &* 8)) &- 1) | length &<< 56
  }

  /// The value's first eight bytes as a little-endian word (zeros and other values' bytes past its end).
  @inline(__always)
  func firstWord(_ packed: UInt64) -> UInt64 {
    UInt64(littleEndian: UnsafeRawPointer(text + Self.offset(of: packed)).loadUnaligned(as: UInt64.self))
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
