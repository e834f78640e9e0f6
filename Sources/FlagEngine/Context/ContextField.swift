import Synchronization

/// A context field, interned: `userId`, `sessionId`, ... or a custom property such as `hardwareGeneration`.
///
/// Fields are numbered once per process so that a context can keep its values in an array indexed by
/// field, and a compiled state can read them without hashing names on the hot path. The standard Unleash
/// fields have fixed numbers; properties are numbered in the order they are first seen.
@frozen
public struct ContextField: Hashable, Sendable, CustomStringConvertible {
  /// The index of this field's value in an `EvaluationContext`.
  public let slot: Int

  @inlinable init(slot: Int) { self.slot = slot }

  public static let userId = ContextField(slot: 0)
  public static let sessionId = ContextField(slot: 1)
  public static let environment = ContextField(slot: 2)
  public static let appName = ContextField(slot: 3)
  public static let currentTime = ContextField(slot: 4)
  public static let remoteAddress = ContextField(slot: 5)
  /// The host name `applicationHostname` compares with. Not a context field in Unleash (it is the
  /// SDK's machine), but kept with the values so that evaluation reads it the same way.
  static let hostname = ContextField(slot: 6)

  static let standardNames = ["userId", "sessionId", "environment", "appName", "currentTime", "remoteAddress"]

  /// The standard field called `name`, or the property `name`.
  ///
  /// A constraint whose `contextName` is `userId` reads the top-level `userId`, never a property of that
  /// name: this is what Unleash's reference engine does.
  public init(_ name: String) {
    self.slot = FieldRegistry.shared.slot(for: name)
  }

  /// The property `name`, even when `name` is also a standard field's name.
  public init(property name: String) {
    self.slot = FieldRegistry.shared.slot(forProperty: name)
  }

  public var name: String { FieldRegistry.shared.name(of: slot) }
  public var isStandard: Bool { slot <= ContextField.hostname.slot }
  public var description: String { name }
}

/// The process-wide numbering of context fields. Lookups take a lock; hot paths hold `ContextField`s.
final class FieldRegistry: Sendable {
  static let shared = FieldRegistry()

  private struct Table {
    var names: [String]
    var slots: [String: Int]
    var propertySlots: [String: Int]
  }

  private let table: Mutex<Table>
  /// Bit `slot`: a compiled state compares the field as a number or a version, so contexts parse it when
  /// it is set. Bits are only ever added. One word per 64 slots, each its own atomic, for the first
  /// `parsedSlotLimit` slots (a process interns a few dozen fields; one that interns more reads the rest
  /// from their text, with the same answers).
  private let numericWords: [NumericWord]
  static let parsedSlotLimit = 65_536

  private final class NumericWord: Sendable {
    let bits = Atomic<UInt64>(0)
  }

  private init() {
    var slots: [String: Int] = [:]
    for (slot, name) in ContextField.standardNames.enumerated() { slots[name] = slot }
    // Slot 6 is the host name; no field name reaches it.
    table = Mutex(Table(names: ContextField.standardNames + ["(host name)"], slots: slots, propertySlots: [:]))
    numericWords = (0..<Self.parsedSlotLimit / 64).map { _ in NumericWord() }
  }

  func slot(for name: String) -> Int {
    table.withLock { table in
      if let slot = table.slots[name] { return slot }
      return Self.addProperty(name, to: &table)
    }
  }

  func slot(forProperty name: String) -> Int {
    table.withLock { table in
      if let slot = table.propertySlots[name] { return slot }
      return Self.addProperty(name, to: &table)
    }
  }

  private static func addProperty(_ name: String, to table: inout Table) -> Int {
    let slot = table.names.count
    table.names.append(name)
    table.propertySlots[name] = slot
    if table.slots[name] == nil { table.slots[name] = slot }
    return slot
  }

  /// The property slot of `name` if it was ever interned, without interning it.
  func existingPropertySlot(_ name: String) -> Int? {
    table.withLock { $0.propertySlots[name] }
  }

  func name(of slot: Int) -> String {
    table.withLock { $0.names[slot] }
  }

  var count: Int { table.withLock { $0.names.count } }

  /// Records that a compiled state compares `slot` as a number or a version.
  func markReadAsNumber(_ slot: Int) {
    guard slot < Self.parsedSlotLimit else { return }
    numericWords[slot >> 6].bits.bitwiseOr(UInt64(1) << UInt64(slot & 63), ordering: .relaxed)
  }

  @inline(__always)
  func isReadAsNumber(_ slot: Int) -> Bool {
    guard slot < Self.parsedSlotLimit else { return false }
    return numericWords[slot >> 6].bits.load(ordering: .relaxed) & (UInt64(1) << UInt64(slot & 63)) != 0
  }
}
