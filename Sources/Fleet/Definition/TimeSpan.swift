/// A span of time written as in a scenario: `250ms`, `15s`, `5m`, `2h`, `1d`, or a number of seconds.
public struct TimeSpan: Hashable, Comparable, Sendable, Decodable, CustomStringConvertible {
  public var microseconds: Int64

  public init(microseconds: Int64) { self.microseconds = microseconds }
  public static func seconds(_ value: Double) -> TimeSpan { TimeSpan(microseconds: Int64((value * 1e6).rounded())) }
  public static func minutes(_ value: Double) -> TimeSpan { .seconds(value * 60) }
  public static func hours(_ value: Double) -> TimeSpan { .seconds(value * 3600) }

  public var seconds: Double { Double(microseconds) / 1e6 }
  public static let zero = TimeSpan(microseconds: 0)

  public static func < (a: TimeSpan, b: TimeSpan) -> Bool { a.microseconds < b.microseconds }

  /// Parses `15s`, `1.5h`, `90` (seconds). `nil` when the text is not a time span.
  public init?(text: String) {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    let units: [(String, Double)] = [("ms", 1e-3), ("us", 1e-6), ("s", 1), ("m", 60), ("h", 3600), ("d", 86_400)]
    for (suffix, scale) in units where trimmed.hasSuffix(suffix) {
      guard let number = Double(trimmed.dropLast(suffix.count)), number.isFinite, number >= 0 else { return nil }
      self = .seconds(number * scale)
      return
    }
    guard let number = Double(trimmed), number.isFinite, number >= 0 else { return nil }
    self = .seconds(number)
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if let number = try? container.decode(Double.self) {
      guard number.isFinite, number >= 0 else {
        throw DecodingError.dataCorruptedError(in: container, debugDescription: "\(number) is not a time span (a duration such as 15s, 5m, 2h)")
      }
      self = .seconds(number)
      return
    }
    let text = try container.decode(String.self)
    guard let span = TimeSpan(text: text) else {
      throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text)' is not a time span (a duration such as 250ms, 15s, 5m, 2h, 1d)")
    }
    self = span
  }

  public var description: String {
    let s = seconds
    if s >= 86_400 && s.truncatingRemainder(dividingBy: 86_400) == 0 { return "\(Int(s / 86_400))d" }
    if s >= 3600 && s.truncatingRemainder(dividingBy: 3600) == 0 { return "\(Int(s / 3600))h" }
    if s >= 60 && s.truncatingRemainder(dividingBy: 60) == 0 { return "\(Int(s / 60))m" }
    if s >= 1 && s == s.rounded() { return "\(Int(s))s" }
    return "\(Int((s * 1000).rounded()))ms"
  }
}

import Foundation
