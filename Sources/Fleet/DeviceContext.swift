import FlagEngine

/// The attributes a device's context is made of, in one small value.
struct DeviceAttributes {
  var user: UInt32
  var firmware: UInt16
  var appVersion: UInt16
  var hardware: UInt8
  var platform: UInt8
  var region: UInt8
  var cohort: UInt8
  var tier: UInt8

  init(_ fleet: Fleet, _ device: Int) {
    user = fleet.user[device]
    firmware = fleet.firmware[device]
    appVersion = fleet.appVersion[device]
    hardware = fleet.hardware[device]
    platform = fleet.platform[device]
    region = fleet.region[device]
    cohort = fleet.cohort[device]
    tier = fleet.tier[device]
  }
}

/// Fills an `EvaluationContext` with one device's attributes, as its SDK would: `userId` (the user or
/// household), and the properties `deviceId`, `hardwareGeneration`, `firmwareVersion`, `appVersion`
/// (also as `agentVersion`), `platform`, `region`, `cohort` and `tier`. Reuses one context and writes
/// bytes from tables prepared once, so filling it allocates nothing.
public struct DeviceContextBuilder {
  public private(set) var context: EvaluationContext
  let fields: Fields
  let tables: Tables

  struct Fields {
    let deviceId = ContextField(property: "deviceId")
    let hardwareGeneration = ContextField(property: "hardwareGeneration")
    let firmwareVersion = ContextField(property: "firmwareVersion")
    let appVersion = ContextField(property: "appVersion")
    let agentVersion = ContextField(property: "agentVersion")
    let platform = ContextField(property: "platform")
    let region = ContextField(property: "region")
    let cohort = ContextField(property: "cohort")
    let tier = ContextField(property: "tier")
  }

  /// The attribute names as UTF-8 bytes, back to back, with each column's spans into them: one buffer,
  /// so filling a context reads plain memory.
  struct Tables {
    var bytes: [UInt8] = []
    /// Per column, per value: (offset, length) into `bytes`.
    var hardware: [(Int, Int)] = []
    var firmware: [(Int, Int)] = []
    var appVersion: [(Int, Int)] = []
    var platform: [(Int, Int)] = []
    var region: [(Int, Int)] = []
    var cohort: [(Int, Int)] = []
    var tier: [(Int, Int)] = []

    mutating func add(_ names: [String]) -> [(Int, Int)] {
      names.map { name in
        let offset = bytes.count
        bytes.append(contentsOf: name.utf8)
        return (offset, bytes.count - offset)
      }
    }
  }

  public init(fleet: Fleet) {
    context = EvaluationContext(seed: fleet.seed)
    fields = Fields()
    var tables = Tables()
    tables.hardware = tables.add(fleet.definition.hardwareGenerations.map { String($0.generation) })
    tables.firmware = tables.add(fleet.firmwareNames)
    tables.appVersion = tables.add(fleet.appVersionNames)
    tables.platform = tables.add(fleet.platformNames)
    tables.region = tables.add(fleet.regionNames)
    tables.cohort = tables.add(fleet.cohortNames)
    tables.tier = tables.add(fleet.tierNames)
    self.tables = tables
  }

  /// Fills the context with `device`'s attributes, read from the fleet's columns.
  @inline(__always)
  public mutating func fill(_ device: Int, of fleet: Fleet) {
    fill(device, DeviceAttributes(fleet, device))
  }

  /// The fields of a device's context, as bits: a flag that reads few of them is evaluated on a context
  /// where only those are written, the rest being invisible to it.
  public struct FieldSet: OptionSet, Sendable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    static let userId = FieldSet(rawValue: 1 << 0)
    static let deviceId = FieldSet(rawValue: 1 << 1)
    static let hardwareGeneration = FieldSet(rawValue: 1 << 2)
    static let firmwareVersion = FieldSet(rawValue: 1 << 3)
    static let appVersion = FieldSet(rawValue: 1 << 4)
    static let agentVersion = FieldSet(rawValue: 1 << 5)
    static let platform = FieldSet(rawValue: 1 << 6)
    static let region = FieldSet(rawValue: 1 << 7)
    static let cohort = FieldSet(rawValue: 1 << 8)
    static let tier = FieldSet(rawValue: 1 << 9)
    public static let all = FieldSet(rawValue: 0x3ff)
  }

  /// The device fields `flag` in `state` reads (its strategies, constraints, stickiness, variants and
  /// parents). `userId` is always written when read, so a default stickiness reads only it.
  public func fieldsRead(by flag: FlagHandle, in state: FlagState) -> FieldSet {
    let named: [(FieldSet, ContextField)] = [
      (.userId, .userId), (.deviceId, fields.deviceId), (.hardwareGeneration, fields.hardwareGeneration),
      (.firmwareVersion, fields.firmwareVersion), (.appVersion, fields.appVersion), (.agentVersion, fields.agentVersion),
      (.platform, fields.platform), (.region, fields.region), (.cohort, fields.cohort), (.tier, fields.tier),
    ]
    var set: FieldSet = []
    for (bit, field) in named where state.reads(field, flag: flag, assumingUserId: true) { set.insert(bit) }
    return set
  }

  /// Fills the context with a device's attributes (those in `only`).
  @inline(__always)
  mutating func fill(_ device: Int, _ attributes: DeviceAttributes, only wanted: FieldSet = .all) {
    context.removeAll()
    if wanted.contains(.userId) { setNumber(.userId, prefix: UInt8(ascii: "u"), UInt64(attributes.user)) }
    if wanted.contains(.deviceId) { setNumber(fields.deviceId, prefix: UInt8(ascii: "d"), UInt64(device)) }
    let tables = self.tables
    let fields = self.fields
    tables.bytes.withUnsafeBufferPointer { bytes in
      func put(_ bit: FieldSet, _ field: ContextField, _ span: (Int, Int)) {
        guard wanted.contains(bit) else { return }
        context.set(field, utf8: UnsafeBufferPointer(rebasing: bytes[span.0..<span.0 + span.1]))
      }
      put(.hardwareGeneration, fields.hardwareGeneration, tables.hardware[Int(attributes.hardware)])
      put(.firmwareVersion, fields.firmwareVersion, tables.firmware[Int(attributes.firmware)])
      let app = tables.appVersion[Int(attributes.appVersion)]
      put(.appVersion, fields.appVersion, app)
      put(.agentVersion, fields.agentVersion, app)
      put(.platform, fields.platform, tables.platform[Int(attributes.platform)])
      put(.region, fields.region, tables.region[Int(attributes.region)])
      put(.cohort, fields.cohort, tables.cohort[Int(attributes.cohort)])
      put(.tier, fields.tier, tables.tier[Int(attributes.tier)])
    }
  }

  /// Sets the session id (for flags sticky on sessions) and the current time.
  @inline(__always)
  public mutating func setSession(device: Int, session: UInt64) {
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 48) { buffer in
      var length = Self.writeDecimal(UInt64(device), into: buffer, at: 0, prefix: UInt8(ascii: "s"))
      buffer[length] = UInt8(ascii: "-")
      length = Self.writeDecimal(session, into: buffer, at: length + 1, prefix: nil)
      context.set(.sessionId, utf8: UnsafeBufferPointer(rebasing: buffer[0..<length]))
    }
  }

  /// Evaluation needs the context mutable (random rollouts draw from it).
  @inline(__always)
  public mutating func withContext<R>(_ body: (inout EvaluationContext) -> R) -> R { body(&context) }

  @inline(__always)
  mutating func setNumber(_ field: ContextField, prefix: UInt8, _ value: UInt64) {
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { buffer in
      let length = Self.writeDecimal(value, into: buffer, at: 0, prefix: prefix)
      context.set(field, utf8: UnsafeBufferPointer(rebasing: buffer[0..<length]))
    }
  }

  /// Writes `prefix` and the decimal digits of `value` at `start`; returns the end.
  @inline(__always)
  static func writeDecimal(_ value: UInt64, into buffer: UnsafeMutableBufferPointer<UInt8>, at start: Int, prefix: UInt8?) -> Int {
    var index = start
    if let prefix {
      buffer[index] = prefix
      index += 1
    }
    var divisor: UInt64 = 1
    while divisor <= value / 10 { divisor *= 10 }
    var rest = value
    while divisor > 0 {
      buffer[index] = UInt8(truncatingIfNeeded: 48 + rest / divisor)
      rest %= divisor
      divisor /= 10
      index += 1
    }
    return index
  }
}
