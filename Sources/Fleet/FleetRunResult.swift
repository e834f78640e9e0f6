import Delivery
import Simulation
import Telemetry

/// What a run measured, per policy.
public struct FleetRunResult: Sendable {
  /// Devices that ever had the released flag on.
  public var devicesExposed = 0
  /// Devices with at least one failure caused by the release (a fault biting).
  public var devicesFailed = 0
  /// Time devices spent impaired by the release, summed, in hours: the time a device is down (a
  /// crash's reboot, a crash loop until a boot succeeds, a device waiting for manual repair until a
  /// technician has repaired it, or the end of the run), a device whose data was lost until it is restored
  /// (or the end of the run) and, for each session a fault makes fail or slow, that session's length (the
  /// fleet's `sessionLength`, at most a day's share of the device's sessions). A device that is not
  /// using the release (no session, offline) is not counted as impaired.
  public var failedDeviceHours = 0.0
  /// Devices that needed manual repair (a `manualRecovery` fault, a crash loop that gave up), repaired
  /// by the end or not.
  public var devicesNeedingManualRecovery = 0
  /// Devices down at the end for any reason.
  public var devicesDownAtEnd = 0
  /// Devices whose data a `dataLoss` fault destroyed (each counts as failed from the loss until it is
  /// restored, or the end of the run), and those restored by the end.
  public var devicesLostData = 0
  public var devicesRestored = 0
  /// Installs (devices on which the flag came on for the first time) and the user reports that reached
  /// the feedback system within the run: the background ones and the faults'.
  public var installs = 0
  public var reports = 0
  /// Devices the release took down (crash-looping, or waiting for manual repair) at some point.
  public var devicesTakenDown = 0
  /// When the last device the release took down came back (nil: none came back).
  public var lastBackUp: SimulatedTime?
  /// The first failure caused by the release.
  public var firstFailure: SimulatedTime?
  /// Sessions simulated event by event.
  public var sessionsSimulated = 0
  /// Sessions of dormant devices, drawn in bulk per window (those whose reports the pipeline loses or
  /// delivers late included).
  public var sessionsDrawnInBulk = 0
  /// Every session of the run.
  public var sessions: Int { sessionsSimulated + sessionsDrawnInBulk }
  /// Device-hours spent dormant, whose sessions were drawn in bulk; the rest were simulated event by event.
  public var deviceHoursDrawnInBulk = 0.0
  public var events = 0
  /// Sessions whose reports counted in a read after their window's own (late pieces).
  public var lateSessions = 0
  /// One row per telemetry window.
  public var windows: [WindowRecord] = []
  /// What was published, in order.
  public var publications: [(time: SimulatedTime, label: String)] = []
  /// What the devices asked of the delivery path's servers, and what the servers shed.
  public var delivery = Backends.Load()
  /// How the run was spread and what that cost (wall-clock measures: not part of a reproducible output).
  public var parallel = ParallelStats()

  /// From the first failure until every device the release took down was back: nil when none went down
  /// or some were still down at the end.
  public var timeToRecoverSeconds: Double? {
    guard devicesTakenDown > 0, devicesDownAtEnd == 0, let first = firstFailure, let back = lastBackUp else { return nil }
    return back.seconds - first.seconds
  }
}

/// The fleet at the end of one telemetry window, and what the pipeline delivered for it.
public struct WindowRecord: Sendable {
  public var index: Int
  public var start: SimulatedTime
  public var end: SimulatedTime
  /// Devices whose current state has the flag on.
  public var devicesExposed: Int
  /// Devices that have seen the latest published state.
  public var devicesOnLatest: Int
  public var devicesFailedSoFar: Int
  public var devicesDown: Int
  /// The label of the latest publication.
  public var latestLabel: String
  /// What the controller received for this window (delivered after the pipeline's lag).
  public var treatment: OutcomeCounts
  public var control: OutcomeCounts
  public var treatmentLatencyP99: UInt64
  public var controlLatencyP99: UInt64
}

/// How a run was spread over threads and processes, and what its ticks (the controller's reads and new
/// artifacts, where blocks wait for each other) cost. Measured in wall-clock time, so it differs from run
/// to run: outputs leave it out with `--reproducible`.
public struct ParallelStats: Sendable {
  public var blocks = 0
  public var threads = 0
  public var processes = 0
  /// Times the blocks stopped for the driver.
  public var ticks = 0
  /// Seconds the threads spent idle at ticks while another thread finished its blocks, per thread.
  public var waitingSeconds = 0.0
  /// Bytes the processes exchanged at ticks (every process's part, as each receives them), and seconds
  /// this process spent in the exchanges (its own waiting for the others included).
  public var exchangedBytes = 0
  public var exchangeSeconds = 0.0

  public init() {}
}
