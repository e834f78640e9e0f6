import Rollout
import Telemetry
import Simulation
import Testing

/// How reasons write numbers, durations and times for people (issue 11: `crash rate 0.90% > 0.40%`,
/// `e-value 36.3`, `40m47s`, and a clock that agrees with the times the audit and the report show).
@Suite struct ReadableTextTests {
  @Test func durationsRoundToWhatMatters() {
    let d = { (seconds: Double) in ReadableText.duration(seconds: seconds) }
    #expect(d(0) == "0s")
    #expect(d(0.25) == "250ms")
    #expect(d(4.24) == "4.2s")
    #expect(d(4) == "4s")
    #expect(d(42.4) == "42s")
    #expect(d(2_446.905376) == "40m47s")
    #expect(d(967) == "16m07s")
    #expect(d(960.2) == "16m")
    #expect(d(59.6) == "1m")
    #expect(d(3_599.6) == "1h")
    #expect(d(7_300) == "2h02m")
    #expect(d(5_700) == "1h35m")
    #expect(d(36 * 3600 + 12 * 60) == "36h12m")
    #expect(d(3 * 86_400 + 4 * 3600 + 10 * 60) == "3d4h")
    #expect(d(60 * 86_400) == "60d")
    #expect(d(-90) == "-1m30s")
    #expect(d(.infinity) == "–")
    #expect(ReadableText.duration(.microseconds(7)) == "7us")
  }

  /// A rounded duration is still a scenario's time span: a reader can paste it back.
  @Test func durationsParseBackAsTimeSpans() {
    for seconds in [0.25, 4.2, 42, 2_447, 7_320, 5_700, 60 * 86_400] as [Double] {
      let text = ReadableText.duration(seconds: seconds)
      #expect(TimeSpan(text)?.seconds == seconds, "\(text)")
    }
  }

  @Test func clockIsTheReportsClock() {
    #expect(ReadableText.clock(.zero) == "+0:00:00")
    #expect(ReadableText.clock(.seconds(1_000)) == "+0:16:40")
    #expect(ReadableText.clock(.microseconds(11_574_532_955)) == "+3:12:55")
    #expect(ReadableText.clock(.hours(30)) == "+30:00:00")
    #expect(ReadableText.clock(seconds: 11_574.4) == "+3:12:54")
    // A time plus a rounded duration reads as the later time.
    let paged = SimulatedTime.seconds(8_200)
    let responded = SimulatedTime(microseconds: 11_574_532_955)
    #expect(ReadableText.duration(responded - paged) == "56m15s")
    #expect(ReadableText.clock(paged) == "+2:16:40" && ReadableText.clock(responded) == "+3:12:55")
  }

  @Test func numbersKeepShortValuesAndRoundLongOnes() {
    let n = ReadableText.number
    #expect(n(36.34834475691345) == "36.3")
    #expect(n(20) == "20")
    #expect(n(1.645) == "1.645")
    #expect(n(1.7210794218766932) == "1.72")
    #expect(n(0.013468013468013467) == "0.0135")
    #expect(n(209.74368625919925) == "210")
    #expect(n(12_345.67) == "12346")
    #expect(n(1.2345e9) == "1.23e9")
    #expect(n(9.996e8) == "1e9")
    #expect(n(4.2e-7) == "4.2e-7")
    #expect(n(-2.345678) == "-2.35")
    #expect(n(0) == "0")
    #expect(n(.infinity) == "inf" && n(.nan) == "NaN")
  }

  @Test func ratesArePercentagesWithTheDecimalsThatMatter() {
    let p = ReadableText.percent
    #expect(p(0.008978675645342313) == "0.90%")
    #expect(p(0.004) == "0.40%")
    #expect(p(0.14255971339599832) == "14.3%")
    #expect(p(0.0997) == "9.97%")
    #expect(p(0.0000042) == "0.00042%")
    #expect(p(0) == "0%")
    #expect(p(1) == "100.0%")
  }

  @Test func readingsCarryTheirMetricsUnit() {
    #expect(ReadableText.value(0.0089786, of: .crashRate) == "0.90%")
    #expect(ReadableText.value(0.863325, of: .silence) == "86.3%")
    #expect(ReadableText.value(0.0143, of: .errorRate, .difference) == "1.43%")
    #expect(ReadableText.value(2.3456, of: .errorRate, .ratio) == "2.35")
    #expect(ReadableText.value(412.4, of: .latencyP99) == "412 ms")
    #expect(ReadableText.value(22_165, of: .sessions) == "22,165")
    #expect(ReadableText.condition(Condition(.greater, 0.004), of: .crashRate) == "> 0.40%")
    #expect(ReadableText.name(.crashRate, .absolute, of: .all) == "crash rate of all devices")
    #expect(ReadableText.name(.errorRate, .difference) == "error rate minus the control's")
    #expect(ReadableText.count(-1_234_567) == "-1,234,567")
  }
}
