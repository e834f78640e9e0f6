/// A point on the simulated clock, or a span of simulated time, in whole microseconds: Rollsim's one time
/// type. The simulator's clock, the fleet's events, the telemetry windows and the policies' spans are all
/// this type (definitions call it `TimeSpan`, Telemetry's name for it); `Double` seconds appear only
/// where a rate needs arithmetic, through ``seconds``.
///
/// Simulated time is an integer so that every run is exact and reproducible: no rounding drifts between
/// platforms, and two events either happen at the same microsecond or they do not. The clock of a
/// ``Simulator`` starts at ``zero``; an `Int64` of microseconds covers about 292,000 years.
///
/// The same type serves as an instant and as a duration, so that `now + .seconds(30)` reads naturally.
/// Arithmetic traps on overflow, like `Int64`'s. Scenarios write it as text with units, `"1h30m"`, and
/// that is its description (`SimulatedTime+Text.swift`).
///
/// ```swift
/// let poll = SimulatedTime.seconds(15)
/// let deadline = scheduler.now + .minutes(5)
/// ```
public struct SimulatedTime: Hashable, Comparable, Sendable, BitwiseCopyable {
  /// The time in microseconds.
  public var microseconds: Int64

  /// A time of `microseconds` microseconds.
  @inlinable
  public init(microseconds: Int64) {
    self.microseconds = microseconds
  }

  /// The start of every simulation.
  @inlinable public static var zero: SimulatedTime { SimulatedTime(microseconds: 0) }

  /// The latest representable time.
  @inlinable public static var max: SimulatedTime { SimulatedTime(microseconds: .max) }

  /// The earliest representable time: a bound that every time is at or after.
  @inlinable public static var min: SimulatedTime { SimulatedTime(microseconds: .min) }

  /// `value` microseconds.
  @inlinable
  public static func microseconds(_ value: Int) -> SimulatedTime {
    SimulatedTime(microseconds: Int64(value))
  }

  /// `value` milliseconds.
  @inlinable
  public static func milliseconds(_ value: Int) -> SimulatedTime {
    SimulatedTime(microseconds: Int64(value) * 1_000)
  }

  /// `value` seconds.
  @inlinable
  public static func seconds(_ value: Int) -> SimulatedTime {
    SimulatedTime(microseconds: Int64(value) * 1_000_000)
  }

  /// `value` seconds, rounded to the nearest microsecond (ties to even).
  ///
  /// - Precondition: `value` is finite and its microseconds fit in `Int64`.
  @inlinable
  public static func seconds(_ value: Double) -> SimulatedTime {
    let micros = (value * 1_000_000).rounded(.toNearestOrEven)
    precondition(
      micros >= -0x1p63 && micros < 0x1p63,
      "SimulatedTime.seconds(\(value)) is not a representable time")
    return SimulatedTime(microseconds: Int64(micros))
  }

  /// `value` seconds, truncated toward zero to the microsecond: how the fleet turns a drawn delay into
  /// a time (rounding instead would move its events, and every result, by a microsecond).
  ///
  /// - Precondition: `value` is finite and its microseconds fit in `Int64`.
  @inlinable
  public init(truncatingSeconds value: Double) {
    self.init(microseconds: Int64(value * 1_000_000))
  }

  /// `value` minutes.
  @inlinable
  public static func minutes(_ value: Int) -> SimulatedTime {
    SimulatedTime(microseconds: Int64(value) * 60_000_000)
  }

  /// `value` hours.
  @inlinable
  public static func hours(_ value: Int) -> SimulatedTime {
    SimulatedTime(microseconds: Int64(value) * 3_600_000_000)
  }

  /// `value` days of 24 hours.
  @inlinable
  public static func days(_ value: Int) -> SimulatedTime {
    SimulatedTime(microseconds: Int64(value) * 86_400_000_000)
  }

  /// The time in seconds, as a `Double` (exact up to 2^53 microseconds, about 285 years).
  @inlinable
  public var seconds: Double { Double(microseconds) / 1_000_000 }

  @inlinable
  public static func < (lhs: SimulatedTime, rhs: SimulatedTime) -> Bool {
    lhs.microseconds < rhs.microseconds
  }

  @inlinable
  public static func + (lhs: SimulatedTime, rhs: SimulatedTime) -> SimulatedTime {
    SimulatedTime(microseconds: lhs.microseconds + rhs.microseconds)
  }

  @inlinable
  public static func - (lhs: SimulatedTime, rhs: SimulatedTime) -> SimulatedTime {
    SimulatedTime(microseconds: lhs.microseconds - rhs.microseconds)
  }

  @inlinable
  public static func += (lhs: inout SimulatedTime, rhs: SimulatedTime) {
    lhs.microseconds += rhs.microseconds
  }

  @inlinable
  public static func -= (lhs: inout SimulatedTime, rhs: SimulatedTime) {
    lhs.microseconds -= rhs.microseconds
  }

  @inlinable
  public static func * (lhs: SimulatedTime, rhs: Int) -> SimulatedTime {
    SimulatedTime(microseconds: lhs.microseconds * Int64(rhs))
  }

  @inlinable
  public static func * (lhs: Int, rhs: SimulatedTime) -> SimulatedTime {
    rhs * lhs
  }
}
