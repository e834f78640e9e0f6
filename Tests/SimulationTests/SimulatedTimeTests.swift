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
    #expect(SimulatedTime.seconds(90).inSeconds == 90)
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

  @Test("Descriptions are exact seconds")
  func descriptions() {
    #expect(SimulatedTime.microseconds(90_000_250).description == "90.000250s")
    #expect(SimulatedTime.zero.description == "0.000000s")
    #expect(SimulatedTime.microseconds(-1_500_000).description == "-1.500000s")
    #expect(SimulatedTime.max.description == "9223372036854.775807s")
  }

  @Test("A time that does not fit traps")
  func unrepresentable() async {
    await #expect(processExitsWith: .failure) {
      _ = SimulatedTime.seconds(Double.infinity)
    }
  }
}
