import FlagEngine
import Foundation
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

extension Distribution {
  /// How a scenario writes the values of a distribution: durations always carry a unit (`{median: 2s}`),
  /// counts are plain numbers (`sessionsPerDay: {median: 6}`).
  public enum Quantity: Sendable { case duration, count }

  /// A distribution of durations, in seconds: `250ms`, `{median: 2s, p99: 30s}`, `{mean: 20m}`, `{min: 0s, max: 1h}`.
  public struct OfDurations: Sendable, Decodable {
    public var distribution: Distribution
    public init(from decoder: any Decoder) throws { distribution = try Distribution(from: decoder, quantity: .duration) }
  }

  /// A distribution of plain numbers: `6`, `{median: 6, spread: 0.7}`, `{mean: 3}`, `{min: 1, max: 9}`.
  public struct OfCounts: Sendable, Decodable {
    public var distribution: Distribution
    public init(from decoder: any Decoder) throws { distribution = try Distribution(from: decoder, quantity: .count) }
  }

  enum Keys: String, CodingKey, CaseIterable { case median, p99, p95, spread, mean, min, max, value }

  static let forms = "a single value, {median, p99}, {median, p95}, {median, spread}, {mean} or {min, max}"

  static func quantity<K: CodingKey>(_ container: KeyedDecodingContainer<K>, _ key: K, _ quantity: Quantity) throws -> Double? {
    guard container.contains(key) else { return nil }
    switch quantity {
    case .duration: return try container.decode(TimeSpan.self, forKey: key).seconds
    case .count: return try container.decode(Double.self, forKey: key)
    }
  }

  init(from decoder: any Decoder, quantity: Quantity) throws {
    if let single = try? decoder.singleValueContainer(), (try? decoder.container(keyedBy: Keys.self)) == nil {
      switch quantity {
      case .duration: self = .fixed(try single.decode(TimeSpan.self).seconds)
      case .count: self = .fixed(try single.decode(Double.self))
      }
      return
    }
    // A misspelt key ({min, amx}) leaves a set of known keys that is no form: name the key, on its line,
    // rather than the form (the strict decoder would name it only after a successful decode).
    if let unknown = try decoder.container(keyedBy: AnyKey.self).allKeys.first(where: { Keys(stringValue: $0.stringValue) == nil }) {
      var message = "'\(unknown.stringValue)' is not a key of a distribution"
      if let near = Spelling.suggestion(for: unknown.stringValue, among: Keys.allCases.map(\.rawValue)) { message += "; did you mean '\(near)'?" }
      throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath + [unknown], debugDescription: message + " (\(Self.forms))"))
    }
    let container = try decoder.container(keyedBy: Keys.self)
    let given = Keys.allCases.filter { container.contains($0) }.map(\.rawValue)
    let allowed: [Set<String>] = [["median"], ["median", "p99"], ["median", "p95"], ["median", "spread"], ["mean"], ["min", "max"], ["value"]]
    guard allowed.contains(Set(given)) else {
      throw DecodingError.dataCorrupted(.init(
        codingPath: decoder.codingPath,
        debugDescription: given.isEmpty
          ? "expected \(Self.forms)"
          : "{\(given.joined(separator: ", "))} is not a distribution: give \(Self.forms)"))
    }
    if let median = try Self.quantity(container, .median, quantity) {
      if let p99 = try Self.quantity(container, .p99, quantity) {
        guard median > 0, p99 >= median else {
          throw DecodingError.dataCorruptedError(forKey: .p99, in: container, debugDescription: "p99 must be at least the median, and the median above 0")
        }
        self = .logNormal(median: median, sigma: log(p99 / median) / 2.326_347_874)
      } else if let p95 = try Self.quantity(container, .p95, quantity) {
        guard median > 0, p95 >= median else {
          throw DecodingError.dataCorruptedError(forKey: .p95, in: container, debugDescription: "p95 must be at least the median, and the median above 0")
        }
        self = .logNormal(median: median, sigma: log(p95 / median) / 1.644_853_627)
      } else {
        let spread = try container.decodeIfPresent(Double.self, forKey: .spread) ?? 0
        guard (0...3).contains(spread) else {
          throw DecodingError.dataCorruptedError(forKey: .spread, in: container, debugDescription: "\(Check.format(spread)) is not a log-normal spread (sigma) in 0...3")
        }
        self = .logNormal(median: median, sigma: spread)
      }
    } else if let mean = try Self.quantity(container, .mean, quantity) {
      self = .exponential(mean: mean)
    } else if let low = try Self.quantity(container, .min, quantity), let high = try Self.quantity(container, .max, quantity) {
      guard high >= low else {
        throw DecodingError.dataCorruptedError(forKey: .max, in: container, debugDescription: "max must be at least min")
      }
      self = .uniform(min: low, max: high)
    } else {
      self = .fixed(try Self.quantity(container, .value, quantity) ?? 0)
    }
  }

  /// The largest value a draw can reasonably reach: the maximum, or the 99.99th percentile.
  public var upperReach: Double {
    switch self {
    case .fixed(let value): return value
    case .logNormal(let median, let sigma): return median * exp(3.719 * sigma)
    case .exponential(let mean): return mean * 9.21
    case .uniform(_, let high): return high
    }
  }

  /// The smallest value a draw can reasonably reach: the minimum, or the 0.01th percentile.
  public var lowerReach: Double {
    switch self {
    case .fixed(let value): return value
    case .logNormal(let median, let sigma): return median * exp(-3.719 * sigma)
    case .exponential(let mean): return mean * 1.0e-4
    case .uniform(let low, _): return low
    }
  }

  /// One draw kept within `lowerReach...upperReach`, so that a check of those bounds holds for every
  /// draw, also of a distribution without bounds (log-normal, exponential: truncated at their 0.01th
  /// and 99.99th percentiles).
  public func sampleWithinReach(_ random: inout RandomStream) -> Double {
    min(max(sample(&random), lowerReach), upperReach)
  }

  /// Whether every draw is the same value.
  public var isFixed: Bool {
    if case .fixed = self { return true }
    return false
  }

  /// The parameters as a scenario writes them, to name the one out of range (`p99` and `p95` are written
  /// with the median, and checked through `upperReach`); a fixed value has no name.
  public var parameters: [(name: String, value: Double)] {
    switch self {
    case .fixed(let value): return [("", value)]
    case .logNormal(let median, _): return [("median", median)]
    case .exponential(let mean): return [("mean", mean)]
    case .uniform(let low, let high): return [("min", low), ("max", high)]
    }
  }
}

/// Any key of a mapping, to find the ones a type does not know.
private struct AnyKey: CodingKey {
  var stringValue: String
  var intValue: Int? { nil }
  init(stringValue: String) { self.stringValue = stringValue }
  init?(intValue: Int) { nil }
}
