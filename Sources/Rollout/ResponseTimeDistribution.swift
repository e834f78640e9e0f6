import Telemetry
import Foundation

/// How long something human takes: an on-call engineer answering a page, a fix being shipped.
///
/// In a scenario: a span (`"20m"`, a fixed time) or an object naming the distribution:
///
///     responseTime: {distribution: lognormal, median: 20m, sigma: 0.8}
///     responseTime: {distribution: exponential, mean: 15m}
///     responseTime: {distribution: uniform, min: 5m, max: 30m}
///     responseTime: {distribution: fixed, value: 10m}
///
/// Draws are rounded to whole microseconds and clamped to `[0, 30 days]`.
public enum ResponseTimeDistribution: Sendable, Hashable, Decodable, CustomStringConvertible {
  case fixed(TimeSpan)
  case uniform(min: TimeSpan, max: TimeSpan)
  case exponential(mean: TimeSpan)
  /// `median · exp(sigma · Z)`, `Z` standard normal: the usual shape of human response times.
  case lognormal(median: TimeSpan, sigma: Double)

  static let ceiling = TimeSpan.days(30)

  public func draw<Generator: RandomNumberGenerator>(using random: inout Generator) -> TimeSpan {
    let microseconds: Double
    switch self {
    case .fixed(let span): return span
    case .uniform(let low, let high):
      microseconds = Double(low.microseconds) + random.nextUnit() * Double(high.microseconds - low.microseconds)
    case .exponential(let mean):
      microseconds = -log(random.nextUnit()) * Double(mean.microseconds)
    case .lognormal(let median, let sigma):
      microseconds = Double(median.microseconds) * exp(sigma * random.nextNormal())
    }
    let clamped = min(max(microseconds.rounded(), 0), Double(Self.ceiling.microseconds))
    return TimeSpan(microseconds: Int64(clamped))
  }

  /// The distribution's median, for reports.
  public var median: TimeSpan {
    switch self {
    case .fixed(let span): return span
    case .uniform(let low, let high): return TimeSpan(microseconds: (low.microseconds + high.microseconds) / 2)
    case .exponential(let mean): return TimeSpan(microseconds: Int64((Double(mean.microseconds) * log(2.0)).rounded()))
    case .lognormal(let median, _): return median
    }
  }

  public var description: String {
    switch self {
    case .fixed(let span): return "fixed \(span)"
    case .uniform(let low, let high): return "uniform \(low)...\(high)"
    case .exponential(let mean): return "exponential, mean \(mean)"
    case .lognormal(let median, let sigma): return "lognormal, median \(median), sigma \(formatNumber(sigma))"
    }
  }

  enum Kind: String, CaseIterable { case fixed, uniform, exponential, lognormal }
  enum CodingKeys: String, CodingKey, CaseIterable { case distribution, value, min, max, mean, median, sigma }

  public init(from decoder: any Decoder) throws {
    if let container = try? decoder.singleValueContainer(), let span = try? container.decode(TimeSpan.self) {
      self = .fixed(span)
      return
    }
    try decoder.rejectUnknownKeys(CodingKeys.self)
    let container = try decoder.container(keyedBy: CodingKeys.self)
    let kind = try decodeNamedValue(Kind.self, from: container.superDecoder(forKey: .distribution))
    let allowed: Set<CodingKeys>
    switch kind {
    case .fixed:
      self = .fixed(try container.decode(TimeSpan.self, forKey: .value))
      allowed = [.distribution, .value]
    case .uniform:
      let low = try container.decode(TimeSpan.self, forKey: .min)
      let high = try container.decode(TimeSpan.self, forKey: .max)
      guard low <= high else {
        throw DecodingError.dataCorruptedError(forKey: .max, in: container, debugDescription: "max (\(high)) is below min (\(low))")
      }
      self = .uniform(min: low, max: high)
      allowed = [.distribution, .min, .max]
    case .exponential:
      self = .exponential(mean: try container.decode(TimeSpan.self, forKey: .mean))
      allowed = [.distribution, .mean]
    case .lognormal:
      let sigma = try container.decodeIfPresent(Double.self, forKey: .sigma) ?? 0.8
      guard sigma.isFinite, sigma >= 0, sigma <= 5 else {
        throw DecodingError.dataCorruptedError(forKey: .sigma, in: container, debugDescription: "sigma must be between 0 and 5, found \(sigma)")
      }
      self = .lognormal(median: try container.decode(TimeSpan.self, forKey: .median), sigma: sigma)
      allowed = [.distribution, .median, .sigma]
    }
    for key in container.allKeys where !allowed.contains(key) {
      throw DecodingError.dataCorruptedError(
        forKey: key, in: container, debugDescription: "'\(key.stringValue)' does not apply to a \(kind.rawValue) distribution")
    }
  }
}
