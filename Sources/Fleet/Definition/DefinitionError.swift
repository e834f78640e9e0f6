import Telemetry

/// A scenario value the fleet cannot use: where it is (a path relative to the fleet's section, such as
/// `cohorts[2].share`) and what is wrong with it.
public struct DefinitionError: Error, Sendable, Hashable, CustomStringConvertible {
  public var path: String
  public var message: String

  public init(_ path: String, _ message: String) {
    self.path = path
    self.message = message
  }

  public var description: String { path.isEmpty ? message : "\(path): \(message)" }

  /// The same error seen from a parent section: `prefix` + "." + path.
  public func within(_ prefix: String) -> DefinitionError {
    DefinitionError(path.isEmpty ? prefix : prefix.isEmpty ? path : path.hasPrefix("[") ? prefix + path : "\(prefix).\(path)", message)
  }
}

/// Small checks that every definition uses, each naming the place and the expected value.
enum Check {
  static func fraction(_ value: Double, _ path: String) throws(DefinitionError) {
    guard value.isFinite, (0...1).contains(value) else {
      throw DefinitionError(path, "\(format(value)) is not a fraction in 0...1")
    }
  }

  static func positive(_ value: Double, _ path: String) throws(DefinitionError) {
    guard value.isFinite, value > 0 else { throw DefinitionError(path, "\(format(value)) must be greater than 0") }
  }

  static func nonNegative(_ value: Double, _ path: String) throws(DefinitionError) {
    guard value.isFinite, value >= 0 else { throw DefinitionError(path, "\(format(value)) must not be negative") }
  }

  /// A value in a documented range.
  static func within(_ value: Double, _ range: ClosedRange<Double>, _ path: String, _ what: String) throws(DefinitionError) {
    guard value.isFinite, range.contains(value) else {
      throw DefinitionError(path, "\(format(value)) is not \(what) in \(format(range.lowerBound))...\(format(range.upperBound))")
    }
  }

  static func within<T: BinaryInteger>(_ value: T, _ range: ClosedRange<T>, _ path: String, _ what: String) throws(DefinitionError) {
    guard range.contains(value) else { throw DefinitionError(path, "\(value) is not \(what) in \(range.lowerBound)...\(range.upperBound)") }
  }

  /// A duration in a documented range.
  static func within(_ span: TimeSpan, _ range: ClosedRange<TimeSpan>, _ path: String) throws(DefinitionError) {
    guard range.contains(span) else { throw DefinitionError(path, "\(span) is not a duration in \(range.lowerBound)...\(range.upperBound)") }
  }

  /// A distribution of durations whose parameter and draws stay in `range` (its 99.99th percentile or
  /// maximum included). The error names the parameter (`latency.p99`, `delay.median`).
  static func within(_ distribution: Distribution, _ range: ClosedRange<TimeSpan>, _ path: String) throws(DefinitionError) {
    try within(distribution, range.lowerBound.seconds...range.upperBound.seconds, path) { seconds in
      seconds.isFinite && abs(seconds) < 9e12 ? TimeSpan(seconds: seconds).description : format(seconds) + "s"
    }
  }

  /// A distribution of counts whose parameter and draws stay in `range`.
  static func within(_ distribution: Distribution, counts range: ClosedRange<Double>, _ path: String) throws(DefinitionError) {
    try within(distribution, range, path, show: format)
  }

  private static func within(
    _ distribution: Distribution, _ range: ClosedRange<Double>, _ path: String, show: (Double) -> String
  ) throws(DefinitionError) {
    let bounds = "\(show(range.lowerBound))...\(show(range.upperBound))"
    for (name, value) in distribution.parameters where !(value.isFinite && range.contains(value)) {
      throw DefinitionError(name.isEmpty ? path : "\(path).\(name)", "\(show(value)) is not in \(bounds)")
    }
    let high = distribution.upperReach
    guard high.isFinite, high <= range.upperBound else {
      throw DefinitionError(path, "draws reach \(show(high)) (the 99.99th percentile); they must stay within \(bounds)")
    }
  }

  static func notEmpty<C: Collection>(_ value: C, _ path: String) throws(DefinitionError) {
    guard !value.isEmpty else { throw DefinitionError(path, "must not be empty") }
  }

  /// Shares of a whole: each a fraction, together 1 (within rounding).
  static func shares(_ shares: [Double], _ path: String, item: (Int) -> String) throws(DefinitionError) {
    for (index, share) in shares.enumerated() { try fraction(share, "\(path)\(item(index))") }
    let total = shares.reduce(0, +)
    guard abs(total - 1) < 1e-6 else { throw DefinitionError(path, "shares add up to \(format(total)), expected 1") }
  }

  static func format(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
  }
}
