import FlagEngine

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

  /// The attribute names as UTF-8 bytes, indexed like the fleet's columns.
  struct Tables {
    let hardware: [[UInt8]]
    let firmware: [[UInt8]]
    let appVersion: [[UInt8]]
    let platform: [[UInt8]]
    let region: [[UInt8]]
    let cohort: [[UInt8]]
    let tier: [[UInt8]]
  }

  public init(fleet: Fleet) {
    context = EvaluationContext(seed: fleet.seed)
    fields = Fields()
    tables = Tables(
      hardware: fleet.definition.hardwareGenerations.map { Array(String($0.generation).utf8) },
      firmware: fleet.firmwareNames.map { Array($0.utf8) }, appVersion: fleet.appVersionNames.map { Array($0.utf8) },
      platform: fleet.platformNames.map { Array($0.utf8) }, region: fleet.regionNames.map { Array($0.utf8) },
      cohort: fleet.cohortNames.map { Array($0.utf8) }, tier: fleet.tierNames.map { Array($0.utf8) })
  }

  /// Fills the context with `device`'s attributes and returns it for evaluation.
  @inline(__always)
  public mutating func fill(_ device: Int, of fleet: Fleet) {
    context.removeAll()
    setNumber(.userId, prefix: UInt8(ascii: "u"), UInt64(fleet.user[device]))
    setNumber(fields.deviceId, prefix: UInt8(ascii: "d"), UInt64(device))
    set(fields.hardwareGeneration, tables.hardware[Int(fleet.hardware[device])])
    set(fields.firmwareVersion, tables.firmware[Int(fleet.firmware[device])])
    let app = tables.appVersion[Int(fleet.appVersion[device])]
    set(fields.appVersion, app)
    set(fields.agentVersion, app)
    set(fields.platform, tables.platform[Int(fleet.platform[device])])
    set(fields.region, tables.region[Int(fleet.region[device])])
    set(fields.cohort, tables.cohort[Int(fleet.cohort[device])])
    set(fields.tier, tables.tier[Int(fleet.tier[device])])
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
  mutating func set(_ field: ContextField, _ bytes: [UInt8]) {
    bytes.withUnsafeBufferPointer { context.set(field, utf8: $0) }
  }

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
