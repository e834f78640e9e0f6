import Simulation

/// What the telemetry pipeline delivered for one time window, per cohort, region and arm.
///
/// Windows of fleet partitions merge exactly (counts add, histograms add), so a fleet cut into
/// partitions gives the same windows as the whole fleet, and a controller that reads only windows makes
/// the same decisions.
public struct TelemetryWindow: Sendable {
  /// The window's position: it covers `start ..< start + duration` of simulated time.
  public let index: Int
  public let start: SimulatedTime
  public let duration: SimulatedTime
  /// Cells in key order.
  public private(set) var cells: [TelemetryKey: Cell]

  public struct Cell: Sendable {
    public var counts = OutcomeCounts()
    public var latency = LatencyHistogram()

    public init(counts: OutcomeCounts = OutcomeCounts(), latency: LatencyHistogram = LatencyHistogram()) {
      self.counts = counts
      self.latency = latency
    }

    public mutating func merge(_ other: Cell) {
      counts += other.counts
      latency.merge(other.latency)
    }
  }

  public init(index: Int, start: SimulatedTime, duration: SimulatedTime, cells: [TelemetryKey: Cell] = [:]) {
    self.index = index
    self.start = start
    self.duration = duration
    self.cells = cells
  }

  public var end: SimulatedTime { start + duration }

  /// The cell for `key`, created empty on first use.
  public subscript(key: TelemetryKey) -> Cell {
    get { cells[key] ?? Cell() }
    set { cells[key] = newValue }
  }

  /// Adds the counts of another partition's window for the same interval.
  public mutating func merge(_ other: TelemetryWindow) {
    precondition(other.index == index && other.start == start && other.duration == duration, "merging different windows")
    for (key, cell) in other.cells { self[key].merge(cell) }
  }

  /// Adds another window's cells whatever its interval (a late piece read with this window).
  public mutating func add(_ other: TelemetryWindow) {
    for (key, cell) in other.cells { self[key].merge(cell) }
  }

  /// Counts summed over the cells that `include` accepts.
  public func counts(where include: (TelemetryKey) -> Bool) -> OutcomeCounts {
    var total = OutcomeCounts()
    for (key, cell) in cells where include(key) { total += cell.counts }
    return total
  }

  /// Counts of one side: control, or everything else (treatment and variants).
  public func counts(treatment: Bool, cohorts: Set<UInt16>? = nil) -> OutcomeCounts {
    counts { $0.arm.isTreatment == treatment && (cohorts?.contains($0.cohort) ?? true) }
  }

  /// Latency of one side, merged.
  public func latency(treatment: Bool, cohorts: Set<UInt16>? = nil) -> LatencyHistogram {
    var merged = LatencyHistogram()
    for (key, cell) in cells where key.arm.isTreatment == treatment && (cohorts?.contains(key.cohort) ?? true) {
      merged.merge(cell.latency)
    }
    return merged
  }

  /// The keys in order, for writers that must be deterministic.
  public var sortedKeys: [TelemetryKey] { cells.keys.sorted() }
}

/// The windows a controller has received so far, oldest first.
public struct TelemetryLog: Sendable {
  public private(set) var windows: [TelemetryWindow] = []

  public init() {}

  public mutating func append(_ window: TelemetryWindow) {
    precondition(windows.last.map { $0.index < window.index } ?? true, "windows must arrive in order")
    windows.append(window)
  }

  /// The last `count` windows (fewer at the start).
  public func last(_ count: Int) -> ArraySlice<TelemetryWindow> { windows.suffix(count) }

  /// Counts of one side summed over the last `count` windows.
  public func counts(treatment: Bool, lastWindows count: Int, cohorts: Set<UInt16>? = nil) -> OutcomeCounts {
    var total = OutcomeCounts()
    for window in last(count) { total += window.counts(treatment: treatment, cohorts: cohorts) }
    return total
  }
}
