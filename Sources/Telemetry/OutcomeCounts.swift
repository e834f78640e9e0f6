/// What devices reported in one cell of one window. Counts add, so windows of different fleet
/// partitions (disjoint sets of devices) merge exactly.
public struct OutcomeCounts: Hashable, Sendable, Codable {
  /// Sessions reported.
  public var sessions: UInt64 = 0
  /// Sessions that ended in an error.
  public var errors: UInt64 = 0
  /// Sessions that ended in a crash.
  public var crashes: UInt64 = 0
  /// Devices heard from in the window: up and online at some time in it (an SDK flushes every
  /// `flush` while it runs, its sessions' reports or a heartbeat).
  public var devicesReporting: UInt64 = 0
  /// Devices expected to report: those the fleet has in this cell at the end of the window (the
  /// pipeline knows them by their last report). The gap to `devicesReporting` is silence: devices down
  /// (rebooting, crash looping, waiting for repair) or offline for the whole window.
  public var devicesAssigned: UInt64 = 0
  /// Installs: devices on which the released flag came on for the first time in the window (an update
  /// service counts them itself, on time), in the cell of the arm they went to.
  public var installs: UInt64 = 0
  /// User reports (a "files missing after the update" report) about installs or faults in the window, on
  /// the side the device was on then: the background rate per install and what a fault with `report`
  /// adds. They arrive days later, so most come in late pieces of the window.
  public var reports: UInt64 = 0

  public init(
    sessions: UInt64 = 0, errors: UInt64 = 0, crashes: UInt64 = 0, devicesReporting: UInt64 = 0, devicesAssigned: UInt64 = 0,
    installs: UInt64 = 0, reports: UInt64 = 0
  ) {
    self.sessions = sessions
    self.errors = errors
    self.crashes = crashes
    self.devicesReporting = devicesReporting
    self.devicesAssigned = devicesAssigned
    self.installs = installs
    self.reports = reports
  }

  public static func += (a: inout OutcomeCounts, b: OutcomeCounts) {
    a.sessions += b.sessions
    a.errors += b.errors
    a.crashes += b.crashes
    a.devicesReporting += b.devicesReporting
    a.devicesAssigned += b.devicesAssigned
    a.installs += b.installs
    a.reports += b.reports
  }

  public static func + (a: OutcomeCounts, b: OutcomeCounts) -> OutcomeCounts {
    var sum = a
    sum += b
    return sum
  }

  /// Errors per session (0 without sessions).
  public var errorRate: Double { sessions == 0 ? 0 : Double(errors) / Double(sessions) }
  /// Crashes per session (0 without sessions).
  public var crashRate: Double { sessions == 0 ? 0 : Double(crashes) / Double(sessions) }
  /// Failed sessions (errors and crashes) per session.
  public var failureRate: Double { sessions == 0 ? 0 : Double(errors + crashes) / Double(sessions) }
  /// Reports per install (0 without installs).
  public var reportRate: Double { installs == 0 ? 0 : Double(reports) / Double(installs) }
  /// Share of the devices expected to report that did not (0 without expected devices).
  public var silence: Double {
    devicesAssigned == 0 ? 0 : Double(devicesAssigned - min(devicesReporting, devicesAssigned)) / Double(devicesAssigned)
  }
}
