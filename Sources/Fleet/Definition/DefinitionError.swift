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
