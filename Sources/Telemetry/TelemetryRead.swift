import Simulation

/// What the telemetry pipeline delivers at one read of the controller: the window whose end the
/// watermark has just passed, with what had arrived for it by then, and what arrived since the last read
/// for windows read before (late reports: a crash uploaded at the next boot, a device back from a spell
/// offline, a slow pipeline), each piece tagged with the window its sessions happened in (event time).
///
/// Every report is in exactly one read: the first after it arrives. So nothing is counted twice and
/// nothing that arrives within the pipeline's lateness is lost. Reads of fleet partitions merge piece by
/// piece (counts and histograms add).
public struct TelemetryRead: Sendable {
  /// The window read for the first time (on time: what arrived before the watermark passed its end).
  public var window: TelemetryWindow
  /// Late pieces of windows read before, oldest window first; a piece holds only counts that arrived
  /// since the last read. Their devices are not counted again (`devicesAssigned` and
  /// `devicesReporting` are zero): presence is read once, with the window.
  public var late: [TelemetryWindow]

  public init(_ window: TelemetryWindow, late: [TelemetryWindow] = []) {
    precondition(late.allSatisfy { $0.index < window.index }, "late pieces are of windows read before")
    self.window = window
    self.late = late
  }

  /// The window and the late pieces, oldest first.
  public var pieces: [TelemetryWindow] { late + [window] }

  /// What arrived since the last read, as one window on the fresh window's clock (a dashboard's view):
  /// the late pieces of windows that began at or after `since` added cell by cell.
  public func merged(since: SimulatedTime = .min) -> TelemetryWindow {
    var merged = window
    for piece in late where piece.start >= since { merged.add(piece) }
    return merged
  }

  /// Sessions in the late pieces.
  public var lateSessions: UInt64 { late.reduce(0) { $0 + $1.counts { _ in true }.sessions } }

  /// Adds another partition's read of the same window.
  public mutating func merge(_ other: TelemetryRead) {
    window.merge(other.window)
    var byIndex: [Int: TelemetryWindow] = [:]
    for piece in late + other.late {
      if byIndex[piece.index] == nil { byIndex[piece.index] = piece } else { byIndex[piece.index]!.merge(piece) }
    }
    late = byIndex.keys.sorted().map { byIndex[$0]! }
  }
}
