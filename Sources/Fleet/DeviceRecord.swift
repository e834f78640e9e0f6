/// A device's state in a run, with the attributes its sessions and evaluations read: one cache line
/// at most (40 bytes, laid out without padding). Device events come in time order, which is random
/// order over devices, so a session touches one line of device state instead of one line in each of a
/// dozen columns.
struct DeviceRecord {
  var sessionsPerDay: Float
  /// Sessions, boot attempts and returns from offline so far: numbers the device's random streams.
  var sessionCount: UInt32
  /// Seconds since the start at which the device last stopped being heard from (down, rebooting or
  /// offline), while it is so: its silence counts from the window after.
  var quietSince: Float
  /// Seconds since the start at which the device's present state began: it went down (status
  /// `crashLoop` or `manual`), its offline spell begins (`offline`: a device is marked offline at its
  /// last session before the spell, as it has no session until it is back), or it went dormant
  /// (online, at a session).
  var since: Float
  var attributes: DeviceAttributes
  /// The arm the device was on when it went quiet: its silence, and a crash reported at its next boot,
  /// count there. (Here, in the byte the 13-byte attributes leave before `version`.)
  var quietArm: UInt8
  /// The published version the device's SDK holds.
  var version: UInt16
  /// Boots that crashed since the device went into a crash loop (counted up to `bootAttempts`).
  var bootsFailed: UInt16
  /// Index into the fleet's sync models.
  var syncModel: UInt8
  /// Bit `f` set when fault `f`'s device predicate holds.
  var susceptible: UInt8
  /// 0 off, 1 on, 2 + i the i-th variant a fault names.
  var arm: UInt8
  var status: DeviceStatus
  var flags: DeviceFlags
  /// Bit `f` set when fault `f` stuck to the device (an irreversible effect): it bites whatever the flag.
  var stuck: UInt8
}

/// Whether a device can have sessions, and if not, what brings it back.
enum DeviceStatus: UInt8 {
  case online
  /// In an offline spell: back at its `online` event.
  case offline
  /// Crashed: back at its `reboot` event.
  case rebooting
  /// Crashing at every boot: tries again at each `bootAttempt` event.
  case crashLoop
  /// Down until repaired by hand: back at its `repaired` event when the fleet has technicians.
  case manual

  /// Down because of a fault, counting failed time from `since`.
  var isDown: Bool { self == .crashLoop || self == .manual }
}

/// What has happened to a device in a run, and whether it is simulated event by event.
struct DeviceFlags: OptionSet {
  let rawValue: UInt8

  /// The released flag has been on for it at least once.
  static let everExposed = DeviceFlags(rawValue: 1)
  /// A fault has bitten it at least once.
  static let everFailed = DeviceFlags(rawValue: 2)
  /// No events: its sessions are drawn in bulk (FleetRun+Dormancy.swift).
  static let dormant = DeviceFlags(rawValue: 4)
  /// Holds a state in which the released flag was killed after the state before had it enabled
  /// (what a `when: killed` fault bites).
  static let killed = DeviceFlags(rawValue: 8)
  /// Has needed manual repair at least once.
  static let everNeededRepair = DeviceFlags(rawValue: 16)
  /// Went down with a crash whose report uploads at the next successful boot.
  static let crashUnreported = DeviceFlags(rawValue: 32)
  /// A `dataLoss` fault has had its one chance at the device (it bit or spared it).
  static let dataLossDrawn = DeviceFlags(rawValue: 64)
  /// Lost its data to a `dataLoss` fault and not restored yet.
  static let lostData = DeviceFlags(rawValue: 128)
}
