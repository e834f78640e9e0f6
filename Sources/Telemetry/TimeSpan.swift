import Foundation

/// A span of simulated time, in integer microseconds like the rest of Rollsim.
///
/// Shared by the fleet's definitions and the policies (both modules read Telemetry).
///
/// Scenarios write spans as text with units, `"250ms"`, `"90s"`, `"15m"`, `"1h30m"`, `"2d"`, `"1.5h"`; a bare
/// number is refused. Units: `us`, `ms`, `s`, `m`, `h`, `d`.
public struct TimeSpan: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
  public var microseconds: Int64

  public init(microseconds: Int64) { self.microseconds = microseconds }

  public static let zero = TimeSpan(microseconds: 0)
  public static func milliseconds(_ value: Int64) -> TimeSpan { TimeSpan(microseconds: value * 1_000) }
  public static func seconds(_ value: Int64) -> TimeSpan { TimeSpan(microseconds: value * 1_000_000) }
  public static func minutes(_ value: Int64) -> TimeSpan { .seconds(value * 60) }
  public static func hours(_ value: Int64) -> TimeSpan { .seconds(value * 3_600) }
  public static func days(_ value: Int64) -> TimeSpan { .seconds(value * 86_400) }

  public static func < (a: TimeSpan, b: TimeSpan) -> Bool { a.microseconds < b.microseconds }

  /// `value` seconds, rounded to the microsecond.
  public init(seconds value: Double) { microseconds = Int64((value * 1e6).rounded()) }

  /// The span in seconds.
  public var seconds: Double { Double(microseconds) / 1e6 }

  static let units: [(suffix: String, microseconds: Int64)] = [
    ("d", 86_400_000_000), ("h", 3_600_000_000), ("m", 60_000_000), ("s", 1_000_000), ("ms", 1_000), ("us", 1),
  ]

  /// Parses `"90s"`, `"1h30m"`, `"2.5h"`, `"250ms"`; `nil` when the text is not a span.
  public init?(_ text: String) {
    let scalars = Array(text.trimmingCharacters(in: .whitespaces).unicodeScalars)
    guard !scalars.isEmpty else { return nil }
    var total: Int64 = 0
    var index = 0
    while index < scalars.count {
      let numberStart = index
      while index < scalars.count, (48...57).contains(scalars[index].value) || scalars[index] == "." { index += 1 }
      let unitStart = index
      while index < scalars.count, scalars[index].properties.isAlphabetic { index += 1 }
      guard numberStart < unitStart, unitStart < index,
        let number = Double(String(String.UnicodeScalarView(scalars[numberStart..<unitStart])))
      else { return nil }
      var unit = String(String.UnicodeScalarView(scalars[unitStart..<index]))
      if unit == "µs" { unit = "us" }
      guard let scale = Self.units.first(where: { $0.suffix == unit })?.microseconds else { return nil }
      let part = (number * Double(scale)).rounded()
      guard part.isFinite, part >= 0, part < 9e18 else { return nil }
      let (sum, overflow) = total.addingReportingOverflow(Int64(part))
      guard !overflow else { return nil }
      total = sum
    }
    microseconds = total
  }

  /// The span in the largest units that represent it exactly: `"1h30m"`, `"250ms"`, `"0s"`.
  public var description: String {
    if microseconds == 0 { return "0s" }
    var rest = microseconds.magnitude
    var text = microseconds < 0 ? "-" : ""
    for (suffix, scale) in Self.units where rest >= UInt64(scale) {
      text += "\(rest / UInt64(scale))\(suffix)"
      rest %= UInt64(scale)
    }
    return text
  }

  /// A span is always written with its unit: a bare `5` could mean seconds or minutes, and reading it as
  /// either would change the question silently.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if let number = try? container.decode(Double.self) {
      let text = number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
      throw DecodingError.dataCorruptedError(
        in: container, debugDescription: "a duration needs a unit: write \(text)s, \(text)m or \(text)h (units: us, ms, s, m, h, d)")
    }
    guard let text = try? container.decode(String.self) else {
      throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected a duration such as 90s, 15m or 1h30m")
    }
    guard let span = TimeSpan(text) else {
      throw DecodingError.dataCorruptedError(
        in: container, debugDescription: "'\(text)' is not a duration such as 90s, 15m or 1h30m (units: us, ms, s, m, h, d)")
    }
    self = span
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(description)
  }
}

