import Simulation
import Testing

@testable import Telemetry

/// A read as bytes (what MPI ranks exchange) comes back as the same read: the same cells and counts, and
/// histograms that merge into the same percentiles, bounds included, as the originals would.
@Suite struct TelemetryReadBytesTests {
  /// xorshift64: deterministic content.
  struct RandomStream {
    var state: UInt64
    init(seed: UInt64) { state = seed &* 0x9e37_79b9_7f4a_7c15 | 1 }
    mutating func nextInt(below bound: Int) -> Int {
      state ^= state << 13
      state ^= state >> 7
      state ^= state << 17
      return Int(state % UInt64(bound))
    }
  }

  func window(_ index: Int, _ random: inout RandomStream, cells: Int) -> TelemetryWindow {
    var window = TelemetryWindow(index: index, start: .minutes(5) * index, duration: .minutes(5))
    for cell in 0..<cells {
      let key = TelemetryKey(cohort: UInt16(cell % 3), region: UInt16(cell / 3 % 4), arm: Arm(rawValue: UInt16(cell / 12 % 3)))
      var counts = OutcomeCounts(
        sessions: UInt64(random.nextInt(below: 10_000)), errors: UInt64(random.nextInt(below: 100)), crashes: UInt64(random.nextInt(below: 10)),
        devicesReporting: UInt64(random.nextInt(below: 5_000)), devicesAssigned: UInt64(random.nextInt(below: 6_000)))
      counts.errors = min(counts.errors, counts.sessions)
      var latency = LatencyHistogram()
      // Some cells without sessions: an empty histogram.
      if cell % 5 != 0 {
        for _ in 0..<random.nextInt(below: 300) {
          latency.record(milliseconds: UInt64(1 + random.nextInt(below: 20_000)), count: UInt32(1 + random.nextInt(below: 4)))
        }
      }
      window[key] = TelemetryWindow.Cell(counts: counts, latency: latency)
    }
    return window
  }

  func describe(_ window: TelemetryWindow) -> String {
    window.sortedKeys.map { key in
      let cell = window[key]
      let h = cell.latency.histogram
      let percentiles = [0.0, 1, 50, 90, 99, 99.9, 100].map { cell.latency.milliseconds(atPercentile: $0) }
      return "\(key) \(cell.counts) \(h.totalCount) \(h.totalCount == 0 ? 0 : h.min) \(h.maxRecorded) \(percentiles)"
    }.joined(separator: "\n") + " \(window.index) \(window.start) \(window.duration)"
  }

  @Test func aReadComesBackFromItsBytesAndMergesAsTheOriginal() throws {
    var random = RandomStream(seed: 5)
    for round in 0..<20 {
      let read = TelemetryRead(window(10 + round, &random, cells: 36), late: [window(2, &random, cells: 8), window(7, &random, cells: 3)])
      let other = TelemetryRead(window(10 + round, &random, cells: 36), late: [window(7, &random, cells: 5)])
      let decoded = try #require(TelemetryRead(bytes: read.bytes()))
      #expect(describe(decoded.window) == describe(read.window))
      #expect(decoded.late.map(describe) == read.late.map(describe))
      // Merged with another process's read, the decoded one gives what the original gives.
      var original = read
      original.merge(other)
      var fromBytes = decoded
      fromBytes.merge(try #require(TelemetryRead(bytes: other.bytes())))
      #expect(describe(fromBytes.window) == describe(original.window))
      #expect(fromBytes.late.map(describe) == original.late.map(describe))
    }
  }

  @Test func bytesThatAreNotAReadAreRefused() {
    var random = RandomStream(seed: 6)
    let bytes = TelemetryRead(window(3, &random, cells: 4)).bytes()
    #expect(TelemetryRead(bytes: []) == nil)
    #expect(TelemetryRead(bytes: Array(bytes.dropLast())) == nil)
    #expect(TelemetryRead(bytes: bytes + [0]) == nil)
    #expect(TelemetryRead(bytes: bytes) != nil)
  }
}
