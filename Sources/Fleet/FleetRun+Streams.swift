import Simulation

// The random streams of a fleet run, each named for what its draws decide. Every stream derives from
// (seed, entity, purpose, index), so a draw depends neither on the order of events nor on which other
// streams exist; adding a purpose changes no other draw.

extension StreamPurpose {
  /// A device's sessions: when the next one starts, offline spells, which faults bite, baseline
  /// outcomes, its report. Indexed by the device's session count (see ``DeviceStream``).
  static let sessions = StreamPurpose("fleet.sessions")
  /// When a device first sees published version `k` (index `k`).
  static let sync = StreamPurpose("fleet.sync")
  /// When an edge refreshes version `k` (entity: the edge, index `k`).
  static let edgeSync = StreamPurpose("fleet.edge-sync")
  /// Whether a device starts online, and its first session.
  static let start = StreamPurpose("fleet.start")
  /// When a dormant device adopts version `k` (index `k`).
  static let wake = StreamPurpose("fleet.wake")
  /// When a dormant device that fault `f` can bite has its first session after the fault arrived (index `f`).
  static let arrivalWake = StreamPurpose("fleet.arrival-wake")
  /// The sessions of a device woken by version `k` while online, until its first (index `k`).
  static let wakeSessions = StreamPurpose("fleet.wake-sessions")
  /// The sessions of dormant devices in a window (entity: the window, index: the stratum).
  static let aggregate = StreamPurpose("fleet.aggregate")
  /// The sessions of dormant devices in a window whose reports reach no read (lost, too late, or after
  /// the run).
  static let aggregateUnreported = StreamPurpose("fleet.aggregate-unreported")
  /// Which dormant devices are offline for a whole window: silent in it (entity: the window, index: the
  /// stratum).
  static let presence = StreamPurpose("fleet.presence")
  /// The upload of a crash dump at the boot after a crash loop or a repair: lost or not, when it arrives,
  /// the crashed session's latency (index: the device's session count at the boot).
  static let crashReport = StreamPurpose("fleet.crash-report")
  /// Which config generations of a fault are bad (entity: the fault).
  static let generations = StreamPurpose("fleet.generations")
  /// Which of a fault's bad generations a check of the artifact rejects (entity: the fault).
  static let invalidGenerations = StreamPurpose("fleet.invalid-generations")
  /// The baseline error rate's drift per region and day.
  static let noise = StreamPurpose("fleet.noise")
  /// Whether a crash-looping device's SDK fetches before the crash, at a boot (index: the device's
  /// session count at the boot).
  static let bootRace = StreamPurpose("fleet.boot-race")
  /// How long a device's repair takes once its technician gets to it (index: its session count).
  static let repairDuration = StreamPurpose("fleet.repair-duration")
  /// Back from a repair: when the next session starts (index: the device's session count).
  static let repaired = StreamPurpose("fleet.repaired")
  /// The Monte Carlo estimate of the share of reports that count in each read (fixed seed, once per run).
  static let onTime = StreamPurpose("fleet.on-time")
  /// Likewise for crash reports, which wait for the reboot.
  static let onTimeCrash = StreamPurpose("fleet.on-time-crash")
}

/// The occasions in a device's life that draw from a stream numbered by its session count: a session,
/// the first session after an offline spell or after a reboot, and an attempt to boot out of a crash
/// loop. All four use the purpose of sessions, told apart by bits 40 and up of the index, which the
/// count never reaches; the layout predates the names and is kept so that runs give the same results.
struct DeviceStream {
  let purpose: StreamPurpose
  let tag: UInt64

  /// A session: which faults bite, its baseline outcome, its report, when the next one starts.
  static let session = DeviceStream(purpose: .sessions, tag: 0)
  /// Back online after an offline spell: when the next session starts.
  static let backOnline = DeviceStream(purpose: .sessions, tag: 1 << 40)
  /// Back from a crash's reboot: when the next session starts.
  static let rebooted = DeviceStream(purpose: .sessions, tag: 2 << 40)
  /// A boot attempt in a crash loop: whether the fault bites again, when the next session starts.
  static let bootAttempt = DeviceStream(purpose: .sessions, tag: 3 << 40)
}

extension FleetRun {
  /// Bits 32-47 of the index of a stream drawn for a block's devices in bulk (entity: the window): the
  /// block's number, so blocks draw apart; the first block's streams are those of a run in one block.
  var blockTag: UInt64 { UInt64(block) << 32 }

  /// The stream of `device` for `occasion`, numbered by `count` (its session count at the time).
  @inline(__always)
  func stream(_ device: Int, _ occasion: DeviceStream, count: UInt32) -> RandomStream {
    RandomStream(seed: seed, entity: UInt64(device), purpose: occasion.purpose, index: UInt64(count) | occasion.tag)
  }

  /// The stream of `entity` (a device, an edge) for `purpose`, with `index` (a published version, or 0).
  @inline(__always)
  func stream(_ entity: Int, _ purpose: StreamPurpose, index: Int = 0) -> RandomStream {
    RandomStream(seed: seed, entity: UInt64(entity), purpose: purpose, index: UInt64(index))
  }
}
