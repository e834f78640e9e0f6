import Telemetry

/// A simulated time for audit sentences: `t=1h35m`.
func clock(_ time: Int64) -> String { "t=\(TimeSpan(microseconds: time))" }
