import Testing

@testable import Simulation

@Suite("Simulated time")
struct SimulatedTimeTests {
  @Test("Units convert to whole microseconds")
  func units() {
    #expect(SimulatedTime.microseconds(5).microseconds == 5)
    #expect(SimulatedTime.milliseconds(5).microseconds == 5_000)
    #expect(SimulatedTime.seconds(5).microseconds == 5_000_000)
    #expect(SimulatedTime.minutes(2) == .seconds(120))
    #expect(SimulatedTime.hours(1) == .minutes(60))
    #expect(SimulatedTime.days(1) == .hours(24))
    #expect(SimulatedTime.seconds(1.5) == .milliseconds(1_500))
    #expect(SimulatedTime.seconds(0.000_000_4) == .zero)
    #expect(SimulatedTime.seconds(0.000_000_6) == .microseconds(1))
    #expect(SimulatedTime.seconds(90).seconds == 90)
  }

  @Test("Truncating seconds drops the fraction of a microsecond, toward zero, where rounding would not")
  func truncatingSeconds() {
    #expect(SimulatedTime(truncatingSeconds: 0.000_000_6) == .zero)
    #expect(SimulatedTime.seconds(0.000_000_6) == .microseconds(1))
    #expect(SimulatedTime(truncatingSeconds: 1.000_001_9) == .microseconds(1_000_001))
    #expect(SimulatedTime(truncatingSeconds: -0.000_002_5) == .microseconds(-2))
    #expect(SimulatedTime(truncatingSeconds: 90) == .seconds(90))
  }

  @Test("Arithmetic and order")
  func arithmetic() {
    var time = SimulatedTime.seconds(10)
    time += .milliseconds(250)
    #expect(time == .microseconds(10_250_000))
    #expect(time - .seconds(10) == .milliseconds(250))
    #expect(3 * SimulatedTime.seconds(2) == .seconds(6))
    #expect(SimulatedTime.zero < .microseconds(1))
    #expect([SimulatedTime.hours(1), .zero, .seconds(1)].sorted() == [.zero, .seconds(1), .hours(1)])
  }

  @Test("Descriptions are exact, in the largest units, and read back")
  func descriptions() {
    #expect(SimulatedTime.microseconds(90_000_250).description == "1m30s250us")
    #expect(SimulatedTime.zero.description == "0s")
    #expect(SimulatedTime.microseconds(-1_500_000).description == "-1s500ms")
    #expect(SimulatedTime.max.description == "106751991d4h54s775ms807us")
    for time in [SimulatedTime.microseconds(90_000_250), .zero, .hours(36), .days(365)] {
      #expect(SimulatedTime(time.description) == time)
    }
  }

  @Test("Spans as scenarios write them: units, several parts, blanks around; a bare number or a sign is not one")
  func parsing() {
    #expect(SimulatedTime("90s") == .seconds(90))
    #expect(SimulatedTime(" 1h30m\t") == .minutes(90))
    #expect(SimulatedTime("\u{00A0}2.5h") == .minutes(150))
    #expect(SimulatedTime("250ms") == .milliseconds(250))
    #expect(SimulatedTime("7µs") == .microseconds(7) && SimulatedTime("7us") == .microseconds(7))
    #expect(SimulatedTime("2d") == .days(2))
    for text in ["5", "", " ", "-5s", "5 s", "5w", "s", "1h 30m", "9999999999999d"] {
      #expect(SimulatedTime(text) == nil, "\(text)")
    }
  }

  @Test("A time that does not fit traps")
  func unrepresentable() async {
    await #expect(processExitsWith: .failure) {
      _ = SimulatedTime.seconds(Double.infinity)
    }
  }
}
