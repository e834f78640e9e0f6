import Foundation
import Simulation
import Telemetry

/// How numbers, durations and times read in text meant for people: audit reasons, gate details, the
/// report. Rounded to what a release engineer acts on (`crash rate 0.90% > 0.40%`, `e-value 36.3`,
/// `responded 40m47s later`, `at +0:16:40`); the records' own fields (`statistic`, `threshold`,
/// `timeSeconds`) keep every digit. Independent of the machine's locale, so the same run always gives
/// the same text.
public enum ReadableText {
  /// A duration: `250ms`, `4.2s`, `42s`, `40m07s`, `2h14m`, `3d4h`. Seconds are dropped from an hour
  /// up, minutes from two days up; zero parts are left out (`16m`, `2h`). The text parses back as a
  /// scenario's time span.
  public static func duration(_ span: SimulatedTime) -> String {
    let microseconds = span.microseconds
    let negative = microseconds < 0
    let magnitude = microseconds.magnitude
    let text: String
    if magnitude == 0 {
      text = "0s"
    } else if magnitude < 1_000 {
      text = "\(magnitude)us"
    } else if magnitude < 999_500 {
      text = "\((magnitude + 500) / 1_000)ms"
    } else if magnitude < 9_950_000 {
      let tenths = (magnitude + 50_000) / 100_000
      text = tenths % 10 == 0 ? "\(tenths / 10)s" : "\(tenths / 10).\(tenths % 10)s"
    } else if magnitude < 3_599_500_000 {
      let seconds = (magnitude + 500_000) / 1_000_000
      text = parts(seconds / 60, "m", seconds % 60, "s")
    } else if magnitude < 172_770_000_000 {
      let minutes = (magnitude + 30_000_000) / 60_000_000
      text = parts(minutes / 60, "h", minutes % 60, "m")
    } else {
      let hours = (magnitude + 1_800_000_000) / 3_600_000_000
      text = parts(hours / 24, "d", hours % 24, "h", pad: false)
    }
    return negative ? "-" + text : text
  }

  /// `duration(_:)` of a number of seconds; `–` when not finite.
  public static func duration(seconds: Double) -> String {
    guard seconds.isFinite, abs(seconds) < 9e12 else { return "–" }
    return duration(SimulatedTime(microseconds: Int64((seconds * 1e6).rounded())))
  }

  /// A simulated time as the report shows it: `+H:MM:SS` since the start, to the nearest second (as
  /// durations round, so that a time plus a duration reads as the later time), hours beyond 24 kept as
  /// hours (`+30:00:00`).
  public static func clock(_ time: SimulatedTime) -> String {
    let microseconds = time.microseconds
    let seconds = microseconds >= 0 ? (microseconds + 500_000) / 1_000_000 : -((-microseconds + 499_999) / 1_000_000)
    let (hours, rest) = seconds.magnitude.quotientAndRemainder(dividingBy: 3600)
    let (minutes, secs) = rest.quotientAndRemainder(dividingBy: 60)
    return (seconds < 0 ? "-" : "+") + "\(hours):" + pad(minutes) + ":" + pad(secs)
  }

  /// `clock(_:)` of a number of seconds; `–` when not finite.
  public static func clock(seconds: Double) -> String {
    guard seconds.isFinite, abs(seconds) < 9e12 else { return "–" }
    return clock(SimulatedTime(microseconds: Int64((seconds * 1e6).rounded())))
  }

  /// A plain number: as written when it has at most four significant digits (`20`, `1.645`, `0.004`),
  /// else three (`36.3`, `0.0135`), whole from 1,000 up (`12346`), with an exponent beyond a million or
  /// under 0.0001 (`1.23e9`, `4.2e-7`).
  public static func number(_ value: Double) -> String {
    guard value.isFinite else { return value.isNaN ? "NaN" : value > 0 ? "inf" : "-inf" }
    if value == 0 { return "0" }
    let magnitude = abs(value)
    if magnitude >= 1e6 || magnitude < 1e-4 { return scientific(value) }
    if significantDigits(value) <= 4 { return shortest(value) }
    if magnitude >= 1000 { return String(Int64(value.rounded())) }
    let exponent = Int(log10(magnitude).rounded(.down))
    return fixed(value, decimals: max(0, 2 - exponent))
  }

  /// A share as a percentage with the decimals that matter: `12.3%` from 10% up, `0.90%` from 0.1% up,
  /// two significant digits below (`0.042%`), `0%` for none.
  public static func percent(_ fraction: Double) -> String {
    guard fraction.isFinite else { return number(fraction) }
    let value = fraction * 100
    let magnitude = abs(value)
    if magnitude == 0 { return "0%" }
    if magnitude >= 9.995 { return fixed(value, decimals: 1) + "%" }
    if magnitude >= 0.09995 { return fixed(value, decimals: 2) + "%" }
    let exponent = Int(log10(magnitude).rounded(.down))
    return fixed(value, decimals: min(12, 1 - exponent)) + "%"
  }

  /// A whole count with thousands separators: `22,165`.
  public static func count<Count: BinaryInteger>(_ value: Count) -> String {
    let digits = String(value.magnitude)
    var out = value < 0 ? "-" : ""
    for (index, digit) in digits.enumerated() {
      if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
      out.append(digit)
    }
    return out
  }

  /// A reading of `metric` in its unit: rates and silence as percentages (a difference of two rates too),
  /// latencies in milliseconds, counts whole, ratios as numbers.
  public static func value(_ value: Double, of metric: Metric, _ comparison: MetricComparison = .absolute) -> String {
    guard value.isFinite else { return number(value) }
    if comparison == .ratio { return number(value) }
    switch metric {
    case .errorRate, .crashRate, .failureRate, .silence: return percent(value)
    case .latencyP50, .latencyP95, .latencyP99:
      return (abs(value) >= 10 ? String(Int64(value.rounded())) : fixed(value, decimals: 1)) + " ms"
    case .sessions, .errors, .crashes, .reportCount:
      return value == value.rounded() && abs(value) < 1e15 ? count(Int64(value)) : number(value)
    case .reports: return percent(value)
    }
  }

  /// A condition on `metric`'s reading: `> 0.40%`.
  public static func condition(_ condition: Condition, of metric: Metric, _ comparison: MetricComparison = .absolute) -> String {
    "\(condition.operator.rawValue) \(value(condition.threshold, of: metric, comparison))"
  }

  /// The metric's name in words: `crash rate`, `p99 latency`.
  public static func name(_ metric: Metric) -> String {
    switch metric {
    case .errorRate: "error rate"
    case .crashRate: "crash rate"
    case .failureRate: "failure rate"
    case .silence: "silence"
    case .latencyP50: "p50 latency"
    case .latencyP95: "p95 latency"
    case .latencyP99: "p99 latency"
    case .sessions: "sessions"
    case .errors: "errors"
    case .crashes: "crashes"
    case .reports: "reports per install"
    case .reportCount: "user reports"
    }
  }

  /// What a rule reads, in words: `crash rate`, `crash rate of all devices`, `error rate minus the
  /// control's`, `error rate of the treatment over the control's`.
  public static func name(_ metric: Metric, _ comparison: MetricComparison, of population: Population? = nil) -> String {
    let read = population.map { "\(name(metric)) of \(name($0))" } ?? name(metric)
    switch comparison {
    case .absolute: return read
    case .difference: return "\(read) minus the control's"
    case .ratio: return "\(read) over the control's"
    }
  }

  /// Who a rule reads, in words: `all devices`, `the treatment`, `the control`.
  public static func name(_ population: Population) -> String {
    switch population {
    case .all: "all devices"
    case .treatment: "the treatment"
    case .control: "the control"
    }
  }

  // MARK: Digits

  static func pad<Number: BinaryInteger>(_ value: Number) -> String { value < 10 ? "0\(value)" : "\(value)" }

  /// `2h05m`, `2h`, `5m`: the second part two digits wide after a first one (for minutes and seconds).
  static func parts(_ major: UInt64, _ majorUnit: String, _ minor: UInt64, _ minorUnit: String, pad padded: Bool = true) -> String {
    if major == 0 { return "\(minor)\(minorUnit)" }
    if minor == 0 { return "\(major)\(majorUnit)" }
    return "\(major)\(majorUnit)\(padded ? pad(minor) : "\(minor)")\(minorUnit)"
  }

  /// Significant digits of the shortest text that reads back as `value`.
  static func significantDigits(_ value: Double) -> Int {
    var text = "\(abs(value))"
    if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) { text = String(text[..<e]) }
    var digits = text.filter(\.isNumber)
    while digits.hasPrefix("0") { digits.removeFirst() }
    if text.contains(".") {
      // Trailing zeros after the point are not significant in Swift's shortest text ("20.0").
      while digits.hasSuffix("0") && text.hasSuffix("0") {
        digits.removeLast()
        text.removeLast()
      }
    } else {
      while digits.hasSuffix("0") { digits.removeLast() }
    }
    return max(1, digits.count)
  }

  /// The shortest text that reads back as `value`, integers without a fraction, no exponent.
  static func shortest(_ value: Double) -> String {
    if value == value.rounded() && abs(value) < 1e15 { return String(Int64(value)) }
    return "\(value)"
  }

  /// `value` with exactly `decimals` decimals, rounded half away from zero, never `-0`.
  static func fixed(_ value: Double, decimals: Int) -> String {
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let scaled = (abs(value) * scale).rounded()
    guard scaled < 9e18 else { return shortest(value) }
    let integer = UInt64(scaled)
    var unit: UInt64 = 1
    for _ in 0..<decimals { unit *= 10 }
    var fraction = decimals > 0 ? String(integer % unit) : ""
    if fraction.count < decimals { fraction = String(repeating: "0", count: decimals - fraction.count) + fraction }
    return (value < 0 && integer != 0 ? "-" : "") + String(integer / unit) + (decimals > 0 ? "." + fraction : "")
  }

  /// Three significant digits with an exponent: `1.23e9`, `4.2e-7`.
  static func scientific(_ value: Double) -> String {
    var exponent = Int(log10(abs(value)).rounded(.down))
    var mantissa = value / pow(10, Double(exponent))
    if abs(mantissa) >= 9.995 {
      exponent += 1
      mantissa /= 10
    }
    var text = fixed(mantissa, decimals: 2)
    while text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
    return "\(text)e\(exponent)"
  }
}
