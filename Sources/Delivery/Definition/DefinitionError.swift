import Telemetry

/// A scenario value that cannot be used: where it is (a path relative to its section, such as
/// `cohorts[2].share` in the fleet's or `storms[1].until` in the capacity section) and what is wrong with it.
/// Every definition of a scenario (the fleet's, the delivery path's, the capacity section's) reports with it.
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

/// Small checks that every definition uses, each naming the place and the expected value (for the modules
/// of this package: Delivery, Fleet, Capacity).
package enum Check {
  package static func fraction(_ value: Double, _ path: String) throws(DefinitionError) {
    guard value.isFinite, (0...1).contains(value) else {
      throw DefinitionError(path, "\(format(value)) is not a fraction in 0...1")
    }
  }

  package static func positive(_ value: Double, _ path: String) throws(DefinitionError) {
    guard value.isFinite, value > 0 else { throw DefinitionError(path, "\(format(value)) must be greater than 0") }
  }

  package static func nonNegative(_ value: Double, _ path: String) throws(DefinitionError) {
    guard value.isFinite, value >= 0 else { throw DefinitionError(path, "\(format(value)) must not be negative") }
  }

  /// A value in a documented range.
  package static func within(_ value: Double, _ range: ClosedRange<Double>, _ path: String, _ what: String) throws(DefinitionError) {
    guard value.isFinite, range.contains(value) else {
      throw DefinitionError(path, "\(format(value)) is not \(what) in \(format(range.lowerBound))...\(format(range.upperBound))")
    }
  }

  package static func within<T: BinaryInteger>(_ value: T, _ range: ClosedRange<T>, _ path: String, _ what: String) throws(DefinitionError) {
    guard range.contains(value) else { throw DefinitionError(path, "\(value) is not \(what) in \(range.lowerBound)...\(range.upperBound)") }
  }

  /// A duration in a documented range.
  package static func within(_ span: TimeSpan, _ range: ClosedRange<TimeSpan>, _ path: String) throws(DefinitionError) {
    guard range.contains(span) else { throw DefinitionError(path, "\(span) is not a duration in \(range.lowerBound)...\(range.upperBound)") }
  }

  /// A distribution of durations whose parameter and draws stay in `range` (its 99.99th percentile or
  /// maximum included). The error names the parameter (`latency.p99`, `delay.median`).
  package static func within(_ distribution: Distribution, _ range: ClosedRange<TimeSpan>, _ path: String) throws(DefinitionError) {
    try within(distribution, range.lowerBound.seconds...range.upperBound.seconds, path) { seconds in
      seconds.isFinite && abs(seconds) < 9e12 ? TimeSpan.seconds(seconds).description : format(seconds) + "s"
    }
  }

  /// A distribution of counts whose parameter and draws stay in `range`.
  package static func within(_ distribution: Distribution, counts range: ClosedRange<Double>, _ path: String) throws(DefinitionError) {
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

  package static func notEmpty<C: Collection>(_ value: C, _ path: String) throws(DefinitionError) {
    guard !value.isEmpty else { throw DefinitionError(path, "must not be empty") }
  }

  /// Shares of a whole: each a fraction, together 1 (within rounding).
  package static func shares(_ shares: [Double], _ path: String, item: (Int) -> String) throws(DefinitionError) {
    for (index, share) in shares.enumerated() { try fraction(share, "\(path)\(item(index))") }
    let total = shares.reduce(0, +)
    guard abs(total - 1) < 1e-6 else { throw DefinitionError(path, "shares add up to \(format(total)), expected 1") }
  }

  package static func format(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
  }
}
