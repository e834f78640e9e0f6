import Telemetry
import Simulation

/// A distribution of a positive quantity (a delay, a latency, sessions per day), written in a scenario as
/// a fixed value, `{median, p99}` or `{median, spread}` (log-normal), `{mean}` (exponential) or
/// `{min, max}` (uniform). Time spans are accepted where the quantity is a time (`{median: 1s}`).
public enum Distribution: Sendable, Hashable {
  case fixed(Double)
  /// Log-normal with this median and log-scale sigma.
  case logNormal(median: Double, sigma: Double)
  case exponential(mean: Double)
  case uniform(min: Double, max: Double)

  /// Draws one value.
  @inline(__always)
  public func sample(_ random: inout RandomStream) -> Double {
    switch self {
    case .fixed(let value): return value
    case .logNormal(let median, let sigma): return sigma == 0 ? median : median * exp(sigma * random.normal())
    case .exponential(let mean): return random.exponential(mean: mean)
    case .uniform(let low, let high): return low + (high - low) * random.nextDouble()
    }
  }

  /// The mean, for closed-form checks.
  public var mean: Double {
    switch self {
    case .fixed(let value): return value
    case .logNormal(let median, let sigma): return median * exp(sigma * sigma / 2)
    case .exponential(let mean): return mean
    case .uniform(let low, let high): return (low + high) / 2
    }
  }

  /// The median.
  public var median: Double {
    switch self {
    case .fixed(let value): return value
    case .logNormal(let median, _): return median
    case .exponential(let mean): return mean * log(2)
    case .uniform(let low, let high): return (low + high) / 2
    }
  }
}

extension Distribution: Decodable {
  enum Keys: String, CodingKey { case median, p99, p95, spread, mean, min, max, value }

  /// Reads a quantity given as a number or a time span (as seconds).
  static func quantity<K: CodingKey>(_ container: KeyedDecodingContainer<K>, _ key: K) throws -> Double? {
    guard container.contains(key) else { return nil }
    if let number = try? container.decode(Double.self, forKey: key) { return number }
    return try container.decode(TimeSpan.self, forKey: key).seconds
  }

  public init(from decoder: any Decoder) throws {
    if let single = try? decoder.singleValueContainer() {
      if let number = try? single.decode(Double.self) {
        self = .fixed(number)
        return
      }
      if let span = try? single.decode(TimeSpan.self) {
        self = .fixed(span.seconds)
        return
      }
    }
    let container = try decoder.container(keyedBy: Keys.self)
    if let median = try Self.quantity(container, .median) {
      if let p99 = try Self.quantity(container, .p99) {
        guard median > 0, p99 >= median else {
          throw DecodingError.dataCorruptedError(forKey: .p99, in: container, debugDescription: "p99 must be at least the median, and the median above 0")
        }
        self = .logNormal(median: median, sigma: log(p99 / median) / 2.326_347_874)
      } else if let p95 = try Self.quantity(container, .p95) {
        guard median > 0, p95 >= median else {
          throw DecodingError.dataCorruptedError(forKey: .p95, in: container, debugDescription: "p95 must be at least the median, and the median above 0")
        }
        self = .logNormal(median: median, sigma: log(p95 / median) / 1.644_853_627)
      } else {
        self = .logNormal(median: median, sigma: try container.decodeIfPresent(Double.self, forKey: .spread) ?? 0)
      }
    } else if let mean = try Self.quantity(container, .mean) {
      self = .exponential(mean: mean)
    } else if let low = try Self.quantity(container, .min), let high = try Self.quantity(container, .max) {
      guard high >= low else {
        throw DecodingError.dataCorruptedError(forKey: .max, in: container, debugDescription: "max must be at least min")
      }
      self = .uniform(min: low, max: high)
    } else if let value = try Self.quantity(container, .value) {
      self = .fixed(value)
    } else {
      throw DecodingError.dataCorrupted(.init(
        codingPath: decoder.codingPath,
        debugDescription: "expected a value, {median, p99}, {median, spread}, {mean} or {min, max}"))
    }
  }
}

import Foundation
