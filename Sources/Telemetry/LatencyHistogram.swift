import Histogram

/// Session latency in milliseconds, as an HDR histogram (2 significant digits, up to 10 minutes).
/// Every instance has the same layout, so any two merge exactly.
public struct LatencyHistogram: Sendable {
  public private(set) var histogram: Histogram<UInt32>

  public static let highestMilliseconds: UInt64 = 600_000

  public init() {
    histogram = Histogram(lowestDiscernibleValue: 1, highestTrackableValue: Self.highestMilliseconds, numberOfSignificantValueDigits: .two)
  }

  /// Records `count` sessions of `milliseconds` (clamped to the trackable range).
  public mutating func record(milliseconds: UInt64, count: UInt32 = 1) {
    guard count > 0 else { return }
    _ = histogram.record(min(max(milliseconds, 1), Self.highestMilliseconds), count: count)
  }

  public mutating func merge(_ other: LatencyHistogram) { histogram.add(other.histogram) }

  public var count: UInt64 { histogram.totalCount }

  /// The latency at `percentile` (0...100), or 0 when empty.
  public func milliseconds(atPercentile percentile: Double) -> UInt64 {
    count == 0 ? 0 : histogram.valueAtPercentile(percentile)
  }
}
