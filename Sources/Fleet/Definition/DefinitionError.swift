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

  /// A distribution of durations whose draws stay in `range` (its 99.99th percentile or maximum included).
  static func within(_ distribution: Distribution, _ range: ClosedRange<TimeSpan>, _ path: String) throws(DefinitionError) {
    let low = distribution.lowerReach, high = distribution.upperReach
    guard low.isFinite, high.isFinite, low >= range.lowerBound.seconds, high <= range.upperBound.seconds else {
      let reach = high.isFinite && high < 9e12 ? TimeSpan(seconds: high).description : format(high) + "s"
      throw DefinitionError(
        path, "draws reach \(reach); this distribution must stay within \(range.lowerBound)...\(range.upperBound) (its maximum or 99.99th percentile)")
    }
  }

  /// A distribution of counts whose draws stay in `range`.
  static func within(_ distribution: Distribution, counts range: ClosedRange<Double>, _ path: String) throws(DefinitionError) {
    let low = distribution.lowerReach, high = distribution.upperReach
    guard low.isFinite, high.isFinite, low >= range.lowerBound, high <= range.upperBound else {
      throw DefinitionError(
        path, "draws reach \(format(high)); this distribution must stay within \(format(range.lowerBound))...\(format(range.upperBound)) (its maximum or 99.99th percentile)")
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
