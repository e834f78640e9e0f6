import Scenario
import Foundation
import Rollout

/// Number formatting for the report, independent of the machine's locale so that the same model always
/// gives the same bytes. Rounding is half away from zero.
enum ReportNumberFormat {
  /// `value` with exactly `decimals` decimals and no grouping: `fixed(2.5, decimals: 2)` is `2.50`.
  /// Never `-0`; non-finite values are `–`.
  static func fixed(_ value: Double, decimals: Int) -> String {
    let (negative, whole, fraction) = parts(value, decimals: decimals) ?? (false, "–", "")
    guard whole != "–" else { return whole }
    return (negative ? "-" : "") + whole + (decimals > 0 ? "." + fraction : "")
  }

  /// At most `maxDecimals` decimals, trailing zeros removed: `trimmed(0.250, maxDecimals: 3)` is `0.25`.
  static func trimmed(_ value: Double, maxDecimals: Int) -> String {
    guard let (negative, whole, fraction) = parts(value, decimals: maxDecimals) else { return "–" }
    var kept = Substring(fraction)
    while kept.last == "0" { kept = kept.dropLast() }
    return (negative ? "-" : "") + whole + (kept.isEmpty ? "" : "." + kept)
  }

  /// An integer with thousands separators: `10,000,000`.
  static func grouped(_ value: Int) -> String {
    let digits = String(value.magnitude)
    return (value < 0 ? "-" : "") + group(digits)
  }

  /// A decimal with thousands separators and exactly `decimals` decimals: `1,234.5`.
  static func grouped(_ value: Double, decimals: Int) -> String {
    guard let (negative, whole, fraction) = parts(value, decimals: decimals) else { return "–" }
    return (negative ? "-" : "") + group(whole) + (decimals > 0 ? "." + fraction : "")
  }

  /// A quantity such as device-hours: more decimals for small values, none for large ones.
  static func quantity(_ value: Double) -> String {
    let magnitude = abs(value)
    return grouped(value, decimals: magnitude >= 100 || magnitude == 0 ? 0 : magnitude >= 10 ? 1 : 2)
  }

  /// A short count for axis ticks: `950`, `12k`, `2.5M`, `1.25B`.
  static func compact(_ value: Double) -> String {
    let magnitude = abs(value)
    for (limit, suffix) in [(1e9, "B"), (1e6, "M"), (1e3, "k")] where magnitude >= limit {
      return trimmed(value / limit, maxDecimals: 2) + suffix
    }
    return trimmed(value, maxDecimals: 2)
  }

  /// The decimal unit that writes a rate of bytes up to `largest` in at most three whole digits: `(1e6, "MB/s")`.
  static func byteRateUnit(_ largest: Double) -> (scale: Double, name: String) {
    let magnitude = largest.isFinite ? abs(largest) : 0
    for (scale, name) in [(1e12, "TB/s"), (1e9, "GB/s"), (1e6, "MB/s"), (1e3, "kB/s")] where magnitude >= scale * 0.9995 {
      return (scale, name)
    }
    return (1, "B/s")
  }

  /// Bytes per second with three significant digits and a decimal unit: `337 kB/s`, `3.55 MB/s`, `0 B/s`.
  static func bytesPerSecond(_ value: Double) -> String {
    guard value.isFinite else { return "–" }
    let (scale, name) = byteRateUnit(value)
    let scaled = value / scale
    let decimals = abs(scaled) >= 99.95 || scaled == 0 ? 0 : abs(scaled) >= 9.995 ? 1 : 2
    return fixed(scaled, decimals: scale == 1 ? 0 : decimals) + " " + name
  }

  /// A fraction as a percentage with at most `maxDecimals` decimals: `0.125` is `12.5%`.
  static func percent(_ fraction: Double, maxDecimals: Int = 1) -> String {
    guard fraction.isFinite else { return "–" }
    return trimmed(fraction * 100, maxDecimals: maxDecimals) + "%"
  }

  /// A share of a whole, for table cells: `12.3%`, `<0.1%` for small non-zero shares, `0%` for none.
  static func share(_ part: Int, of whole: Int) -> String {
    guard whole > 0 else { return "–" }
    let fraction = Double(part) / Double(whole)
    if part > 0 && fraction < 0.0005 { return "<0.1%" }
    return percent(fraction, maxDecimals: 1)
  }

  /// A duration for people, as the audit's reasons write it: `42s`, `40m47s`, `2h14m`, `3d4h`.
  static func duration(_ seconds: Double) -> String { ReadableText.duration(seconds: seconds) }

  /// Simulated time since the start as `+H:MM:SS`, as the audit's reasons write it.
  static func clock(sinceStart seconds: Double) -> String { ReadableText.clock(seconds: seconds) }

  /// An SVG coordinate: at most one decimal.
  static func coordinate(_ value: Double) -> String {
    trimmed(value.isFinite ? value : 0, maxDecimals: 1)
  }

  static func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

  /// Sign, whole digits and exactly `decimals` fraction digits of `value`, rounded; `nil` when not finite.
  private static func parts(_ value: Double, decimals: Int) -> (Bool, String, String)? {
    guard value.isFinite else { return nil }
    let decimals = max(0, min(decimals, 12))
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let scaled = (abs(value) * scale).rounded()
    if scaled >= 9e18 {
      // Beyond UInt64's exact range: whole digits only (printf's %f does not depend on the locale).
      return (value < 0, String(format: "%.0f", abs(value).rounded()), String(repeating: "0", count: decimals))
    }
    let integer = UInt64(scaled)
    var unit: UInt64 = 1
    for _ in 0..<decimals { unit *= 10 }
    let whole = String(integer / unit)
    var fraction = decimals > 0 ? String(integer % unit) : ""
    if fraction.count < decimals { fraction = String(repeating: "0", count: decimals - fraction.count) + fraction }
    return (value < 0 && integer != 0, whole, fraction)
  }

  private static func group(_ digits: String) -> String {
    var out = ""
    for (index, digit) in digits.enumerated() {
      if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
      out.append(digit)
    }
    return out
  }
}
