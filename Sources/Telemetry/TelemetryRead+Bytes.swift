import Simulation

/// Reads as bytes, for processes that exchange them (a run spread over MPI ranks): each rank sends what
/// its blocks read, and every rank merges all of them into the read the controller sees. The decoded
/// read merges exactly as the original would: the same counts, and histograms with the same buckets and
/// the same smallest and largest values (which bound their percentiles).
extension TelemetryRead {
  public func bytes() -> [UInt8] {
    var out = ExchangeWriter()
    out.window(window)
    out.integer(late.count)
    for piece in late { out.window(piece) }
    return out.bytes
  }

  /// The read `bytes()` gave, or nil when the bytes are not one (cut short, or with bytes left over).
  public init?(bytes: [UInt8]) {
    var input = ExchangeReader(bytes)
    guard let window = input.window(), let count = input.integer(), count >= 0 else { return nil }
    var late: [TelemetryWindow] = []
    for _ in 0..<count {
      guard let piece = input.window(), piece.index < window.index else { return nil }
      late.append(piece)
    }
    guard input.atEnd else { return nil }
    self.init(window, late: late)
  }
}

/// Little-endian 64-bit words, appended.
public struct ExchangeWriter {
  public private(set) var bytes: [UInt8] = []

  public init() {}

  public mutating func word(_ value: UInt64) {
    withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
  }

  public mutating func integer(_ value: Int) { word(UInt64(bitPattern: Int64(value))) }
  public mutating func double(_ value: Double) { word(value.bitPattern) }

  public mutating func string(_ value: String) { blob(Array(value.utf8)) }

  /// Bytes as they are, after their length.
  public mutating func blob(_ value: [UInt8]) {
    integer(value.count)
    bytes.append(contentsOf: value)
  }

  mutating func window(_ window: TelemetryWindow) {
    integer(window.index)
    word(UInt64(bitPattern: window.start.microseconds))
    word(UInt64(bitPattern: window.duration.microseconds))
    let keys = window.sortedKeys
    integer(keys.count)
    for key in keys {
      let cell = window[key]
      word(UInt64(key.cohort) << 32 | UInt64(key.region) << 16 | UInt64(key.arm.rawValue))
      for count in [
        cell.counts.sessions, cell.counts.errors, cell.counts.crashes, cell.counts.devicesReporting, cell.counts.devicesAssigned,
        cell.counts.installs, cell.counts.reports,
      ] {
        word(count)
      }
      let histogram = cell.latency.histogram
      let buckets = histogram.totalCount == 0 ? [] : Array(histogram.recordedValues())
      integer(buckets.count)
      guard !buckets.isEmpty else { continue }
      word(histogram.min)
      word(histogram.maxRecorded)
      for bucket in buckets {
        word(bucket.value)
        word(UInt64(bucket.count))
      }
    }
  }
}

/// Reads what an ``ExchangeWriter`` wrote; each read is nil past the end.
public struct ExchangeReader {
  let bytes: [UInt8]
  var offset = 0

  public init(_ bytes: [UInt8]) { self.bytes = bytes }

  public var atEnd: Bool { offset == bytes.count }

  public mutating func word() -> UInt64? {
    guard offset + 8 <= bytes.count else { return nil }
    var value: UInt64 = 0
    for index in 0..<8 { value |= UInt64(bytes[offset + index]) << (8 * index) }
    offset += 8
    return value
  }

  public mutating func integer() -> Int? { word().map { Int(Int64(bitPattern: $0)) } }
  public mutating func double() -> Double? { word().map(Double.init(bitPattern:)) }

  public mutating func string() -> String? { blob().map { String(decoding: $0, as: UTF8.self) } }

  public mutating func blob() -> [UInt8]? {
    guard let count = integer(), count >= 0, count <= bytes.count - offset else { return nil }
    defer { offset += count }
    return Array(bytes[offset..<offset + count])
  }

  mutating func window() -> TelemetryWindow? {
    guard let index = integer(), let start = word(), let duration = word(), let cells = integer(), cells >= 0 else { return nil }
    var window = TelemetryWindow(
      index: index, start: SimulatedTime(microseconds: Int64(bitPattern: start)),
      duration: SimulatedTime(microseconds: Int64(bitPattern: duration)))
    for _ in 0..<cells {
      guard let key = word(), let sessions = word(), let errors = word(), let crashes = word(), let reporting = word(),
        let assigned = word(), let installs = word(), let reports = word(), let buckets = integer(), buckets >= 0
      else { return nil }
      var latency = LatencyHistogram()
      if buckets > 0 {
        guard let smallest = word(), let largest = word() else { return nil }
        // Each bucket's count at a value inside it; the bucket of the smallest value at that value, and
        // the largest's at the largest, so the histogram's bounds come back exactly.
        for _ in 0..<buckets {
          guard let value = word(), let count = word(), count > 0, count <= UInt64(UInt32.max) else { return nil }
          var left = UInt32(count)
          let histogram = latency.histogram
          if histogram.valuesAreEquivalent(value, smallest) {
            latency.record(milliseconds: smallest, count: 1)
            left -= 1
          }
          latency.record(milliseconds: histogram.valuesAreEquivalent(value, largest) ? largest : value, count: left)
        }
      }
      window[TelemetryKey(cohort: UInt16(truncatingIfNeeded: key >> 32), region: UInt16(truncatingIfNeeded: key >> 16), arm: Arm(rawValue: UInt16(truncatingIfNeeded: key)))] =
        TelemetryWindow.Cell(
          counts: OutcomeCounts(
            sessions: sessions, errors: errors, crashes: crashes, devicesReporting: reporting, devicesAssigned: assigned, installs: installs,
            reports: reports),
          latency: latency)
    }
    return window
  }
}
