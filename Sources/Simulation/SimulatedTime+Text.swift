/// Simulated time as scenarios and policies write it: a span with units, `"250ms"`, `"90s"`, `"15m"`,
/// `"1h30m"`, `"2d"`, `"1.5h"`. Units: `us` (or `µs`), `ms`, `s`, `m`, `h`, `d`. A bare number is refused.
extension SimulatedTime {
  /// The units a span is written in, largest first, with their microseconds.
  static let units: [(suffix: String, microseconds: Int64)] = [
    ("d", 86_400_000_000), ("h", 3_600_000_000), ("m", 60_000_000), ("s", 1_000_000), ("ms", 1_000), ("us", 1),
  ]

  /// Parses `"90s"`, `"1h30m"`, `"2.5h"`, `"250ms"` (spaces and tabs around it allowed); `nil` when the text
  /// is not a span, is negative, or does not fit. Each part is rounded to the microsecond.
  public init?(_ text: String) {
    // The blanks Foundation's `CharacterSet.whitespaces` holds: space separators and the tab.
    func isBlank(_ scalar: Unicode.Scalar) -> Bool { scalar == "\t" || scalar.properties.generalCategory == .spaceSeparator }
    var scalars = Array(text.unicodeScalars)
    while let last = scalars.last, isBlank(last) { scalars.removeLast() }
    let first = scalars.firstIndex { !isBlank($0) } ?? scalars.endIndex
    scalars.removeSubrange(..<first)
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
    self.init(microseconds: total)
  }
}

extension SimulatedTime: CustomStringConvertible {
  /// The time in the largest units that represent it exactly: `"1h30m"`, `"250ms"`, `"90s250us"`, `"0s"`.
  /// Exact, and parsed back by ``init(_:)`` when not negative.
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
}

extension SimulatedTime: Codable {
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
    guard let span = SimulatedTime(text) else {
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
