import Foundation

/// Unleash Edge's published throughput: requests per second one instance serves at saturation, by CPUs,
/// endpoint and size of the state. Throughput grows less than linearly with cores (39,000 frontend
/// requests/s on 1 CPU, 100,020 on 4, 141,090 on 8 for the small state).
///
/// Source: https://github.com/Unleash/unleash-edge/blob/main/docs/benchmarking.md (`hey -z 10s` against one
/// Edge in `docker --cpus=<n> --memory=128M`).
public enum EdgeBenchmark {
  public static let source = "https://github.com/Unleash/unleash-edge/blob/main/docs/benchmarking.md"
  public static let note =
    "Unleash Edge's benchmarking page: hey -z 10s against one Edge in docker --cpus=<n> --memory=128M; requests per second at saturation, by CPUs."

  /// The endpoints measured.
  public enum Endpoint: String, Sendable, CaseIterable {
    /// `/api/frontend`: every flag evaluated for the request's context.
    case frontend
    /// `/api/client/features`: the whole state, as backend SDKs and edges fetch it.
    case clientFeatures
  }

  /// One of the two states the page measured.
  public struct Dataset: Sendable, Hashable {
    public let name: String
    public let features: Int
    /// Size of the client-features answer, in bytes.
    public let bytes: Int
    /// Requests per second at `cores[i]` CPUs.
    public let frontend: [Double]
    public let clientFeatures: [Double]

    public func rate(_ endpoint: Endpoint) -> [Double] { endpoint == .frontend ? frontend : clientFeatures }
  }

  /// The CPUs of the published rows.
  public static let cores: [Double] = [0.1, 1, 4, 8]

  public static let small = Dataset(
    name: "5 features (2 kB)", features: 5, bytes: 2_000, frontend: [3_673, 39_000, 100_020, 141_090],
    clientFeatures: [3_298, 32_360, 95_838, 129_381])
  public static let large = Dataset(
    name: "350 features (100 kB)", features: 350, bytes: 100_000, frontend: [600, 6_900, 25_300, 40_921],
    clientFeatures: [309, 3_236, 12_815, 23_207])
  public static let datasets = [small, large]

  /// The published range of CPUs per instance.
  public static let coreRange: ClosedRange<Double> = 0.1...8

  /// The dataset nearest to a state (by ratio): for the frontend endpoint by its number of flags (each is
  /// evaluated), for client features by the size of the answer.
  public static func nearest(_ endpoint: Endpoint, flags: Int, bytes: Int) -> Dataset {
    func distance(_ d: Dataset) -> Double {
      endpoint == .frontend
        ? abs(log(Double(d.features)) - log(Double(Swift.max(flags, 1))))
        : abs(log(Double(d.bytes)) - log(Double(Swift.max(bytes, 1))))
    }
    return datasets.min { distance($0) < distance($1) }!
  }

  /// Requests per second of one instance with `cores` CPUs (within ``coreRange``), between the published
  /// rows linearly.
  public static func rate(_ endpoint: Endpoint, dataset: Dataset, cores: Double) -> Double {
    let rates = dataset.rate(endpoint)
    let c = Swift.min(Swift.max(cores, coreRange.lowerBound), coreRange.upperBound)
    var i = 0
    while i < Self.cores.count - 2 && c > Self.cores[i + 1] { i += 1 }
    let (x0, x1) = (Self.cores[i], Self.cores[i + 1])
    return rates[i] + (rates[i + 1] - rates[i]) * (c - x0) / (x1 - x0)
  }
}
