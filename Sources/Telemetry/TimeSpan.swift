import Simulation

/// A span of simulated time: the simulator's own ``SimulatedTime`` (whole microseconds), under the name
/// scenario and policy definitions give a duration. One type, so that the spans a scenario gives, the
/// windows telemetry is cut into and the clock the fleet runs on meet without conversions. Written and
/// parsed as `"90s"`, `"1h30m"` (`SimulatedTime+Text.swift`).
public typealias TimeSpan = SimulatedTime
