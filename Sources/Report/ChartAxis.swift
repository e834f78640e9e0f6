import Scenario
import Foundation

/// One axis of a chart: its domain, its tick values on round numbers, and their labels.
struct ChartAxis: Equatable {
  /// The axis title, with its unit.
  var title: String
  var lower: Double
  var upper: Double
  /// Tick positions, in data units, inside `lower...upper`.
  var ticks: [Double]
  var labels: [String]
  /// Positions on a log scale (`lower > 0`); values at or below `lower` sit at the bottom.
  var logarithmic = false

  /// How value labels are written.
  enum Style: Equatable {
    /// Device counts and other large numbers: `0`, `500k`, `2.5M`.
    case count
    /// Fractions shown as percentages: `0%`, `25%`.
    case percent
    /// Plain numbers: `0`, `0.5`, `1`.
    case number
  }

  /// Where `value` falls on the axis, `0` at `lower` and `1` at `upper`.
  func position(_ value: Double) -> Double {
    if logarithmic {
      guard value > lower else { return 0 }
      return upper > lower ? log10(value / lower) / log10(upper / lower) : 0
    }
    return upper > lower ? (value - lower) / (upper - lower) : 0
  }

  /// A log axis over whole powers of ten, from the one at or below `smallest` (the smallest value worth
  /// seeing, above zero) to the one at or above `largest` (or `fixedUpper`), at least two decades. For
  /// series whose peaks differ a hundredfold: on a linear axis the small ones lie on the floor. Zeros sit
  /// at the bottom, which the title says.
  static func logarithmic(title: String, smallest: Double, largest: Double, style: Style, fixedUpper: Double? = nil) -> ChartAxis {
    let top = fixedUpper ?? largest
    let upperExponent = top > 0 && top.isFinite ? Int((log10(top) - 1e-9).rounded(.up)) : 0
    var lowerExponent = smallest > 0 && smallest.isFinite ? Int((log10(smallest) + 1e-9).rounded(.down)) : upperExponent - 2
    lowerExponent = min(lowerExponent, upperExponent - 2)
    var ticks: [Double] = []
    var labels: [String] = []
    for exponent in lowerExponent...upperExponent {
      let value = pow(10, Double(exponent))
      ticks.append(value)
      switch style {
      case .percent: labels.append(ReportNumberFormat.trimmed(value * 100, maxDecimals: 12) + "%")
      case .count: labels.append(ReportNumberFormat.compact(value))
      case .number: labels.append(ReportNumberFormat.trimmed(value, maxDecimals: 12))
      }
    }
    // Zeros and anything smaller sit on the lowest tick.
    labels[0] = "≤" + labels[0]
    return ChartAxis(
      title: title + " (log scale; zero at the bottom)", lower: ticks[0], upper: ticks[ticks.count - 1], ticks: ticks, labels: labels,
      logarithmic: true)
  }

  /// A value axis from zero (or the data's minimum when negative) up to the first tick at or above the
  /// data's maximum, unless `fixedUpper` says where it ends. `integerSteps` keeps ticks on whole numbers,
  /// for counts of devices.
  static func values(
    title: String, dataMin: Double, dataMax: Double, style: Style, integerSteps: Bool = false,
    fixedUpper: Double? = nil, maxIntervals: Int = 5
  ) -> ChartAxis {
    let scale = style == .percent ? 100.0 : 1.0
    let low = min(0, dataMin.isFinite ? dataMin : 0) * scale
    var high = (fixedUpper ?? (dataMax.isFinite ? dataMax : 0)) * scale
    if high <= low { high = low + (style == .percent ? 1 : 1) }
    let step = niceStep(range: high - low, maxIntervals: maxIntervals, integer: integerSteps)
    let lower = (low / step).rounded(.down) * step
    let upper = fixedUpper.map { $0 * scale } ?? (high / step - 1e-9).rounded(.up) * step
    let decimals = decimals(forStep: step)
    var ticks: [Double] = []
    var labels: [String] = []
    var k = (lower / step).rounded(.up)
    while k * step <= upper + step * 1e-9 {
      let value = k * step
      ticks.append(value / scale)
      switch style {
      case .percent: labels.append(ReportNumberFormat.trimmed(value, maxDecimals: decimals) + "%")
      case .count: labels.append(ReportNumberFormat.compact(value))
      case .number: labels.append(ReportNumberFormat.trimmed(value, maxDecimals: decimals))
      }
      k += 1
    }
    return ChartAxis(title: title, lower: lower / scale, upper: upper / scale, ticks: ticks, labels: labels)
  }

  /// A time axis over `lower...upper` simulated seconds. Ticks fall on whole hours (or round fractions of
  /// them) and are labelled in hours; spans under two hours are labelled in minutes, under two minutes in
  /// seconds.
  static func time(fromSeconds lower: Double, toSeconds upper: Double, maxIntervals: Int = 8) -> ChartAxis {
    let lower = lower.isFinite ? lower : 0
    let upper = upper.isFinite && upper > lower ? upper : lower + 3600
    let span = upper - lower
    let unit: Double
    let name: String
    let candidates: [Double]
    if span >= 2 * 3600 {
      (unit, name) = (3600, "hours")
      candidates = [0.25, 0.5, 1, 2, 3, 4, 6, 8, 12, 24, 48, 72, 96, 120, 168, 336, 504, 672]
    } else if span >= 120 {
      (unit, name) = (60, "minutes")
      candidates = [1, 2, 5, 10, 15, 20, 30]
    } else {
      (unit, name) = (1, "seconds")
      candidates = [1, 2, 5, 10, 15, 20, 30]
    }
    let spanInUnits = span / unit
    let step =
      candidates.first { spanInUnits / $0 <= Double(maxIntervals) + 1e-9 }
      ?? niceStep(range: spanInUnits, maxIntervals: maxIntervals, integer: false)
    var ticks: [Double] = []
    var labels: [String] = []
    var k = (lower / unit / step - 1e-9).rounded(.up)
    while k * step * unit <= upper + 1e-6 {
      ticks.append(k * step * unit)
      labels.append(ReportNumberFormat.trimmed(k * step, maxDecimals: 2))
      k += 1
    }
    return ChartAxis(title: "time since start (\(name))", lower: lower, upper: upper, ticks: ticks, labels: labels)
  }

  /// The smallest of 1, 2, 2.5 or 5 times a power of ten that cuts `range` into at most `maxIntervals` parts.
  static func niceStep(range: Double, maxIntervals: Int, integer: Bool) -> Double {
    guard range > 0, range.isFinite else { return 1 }
    let raw = range / Double(max(1, maxIntervals))
    var base = 1.0
    while base > raw { base /= 10 }
    while base * 10 <= raw { base *= 10 }
    var step = base * 10
    for multiple in [1.0, 2, 2.5, 5, 10] where base * multiple >= raw * (1 - 1e-9) {
      if multiple == 2.5 && integer && base < 10 { continue }
      step = base * multiple
      break
    }
    return integer ? max(1, step.rounded()) : step
  }

  /// Decimals needed to write multiples of `step` exactly (steps are 1, 2, 2.5 or 5 times a power of ten).
  static func decimals(forStep step: Double) -> Int {
    var decimals = 0
    var scaled = step
    while decimals < 12 && abs(scaled - scaled.rounded()) > 1e-9 * max(1, abs(scaled)) {
      scaled *= 10
      decimals += 1
    }
    return decimals
  }
}
