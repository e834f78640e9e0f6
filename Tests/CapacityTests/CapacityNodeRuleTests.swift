import Delivery
import Foundation
import Testing

@testable import Capacity
@testable import Scenario

/// An outage met with Unleash's Node SDK's rule gives the peak and the recovery that rule implies: the
/// plan against a simulation of every client, written here from the SDK's source (unleash-client-node
/// 6.x, src/repository/index.ts and src/request.ts), request by request.
@Suite struct CapacityNodeRuleTests {
  static let n = 20_000
  static let from = 1_800.0
  static let until = 3_000.0

  /// Every client of the SDK: polls every 15 s from a uniformly random phase; in the outage each fetch
  /// is three attempts (0, 1, 3 s: make-fetch-happen's retries of a 503), after which the SDK counts a
  /// failure (at most 10) and waits 15 s × (1 + failures); the first attempt at or after the end is
  /// answered 304 and the client polls every 15 s again. Returns requests per second and each client's
  /// seconds from the end to its success.
  static func simulate(seed: UInt64) -> (perSecond: [Double], recovered: [Double]) {
    var generator = SplitMix(seed: seed)
    var perSecond = [Double](repeating: 0, count: 7_200)
    var recovered: [Double] = []
    func count(_ t: Double) { if t < 7_200 { perSecond[Int(t)] += 1 } }
    for _ in 0..<n {
      var t = generator.next() * 15
      while t < from {
        count(t)
        t += 15
      }
      var failures = 0
      var success: Double? = nil
      while success == nil {
        for offset in [0.0, 1, 3] {
          let attempt = t + offset
          count(attempt)
          if attempt >= until {
            success = attempt
            break
          }
        }
        if success == nil {
          failures = min(failures + 1, 10)
          t = t + 3 + 15 * Double(1 + failures)
        }
      }
      recovered.append(success! - until)
      t = success! + 15
      while t < 7_200 {
        count(t)
        t += 15
      }
    }
    return (perSecond, recovered.sorted())
  }

  @Test func anOutageWithTheNodeSDKsRuleMatchesEveryClientSimulated() throws {
    let outcome = try plan(capacityScenario(
      devices: Self.n, sync: "- {model: polling, share: 1, interval: 15s, jitter: 0, retry: {rule: unleash-node}}",
      capacity: "storms: [{kind: apiOutage, from: 30m, until: 50m}]"))
    let storm = try #require(outcome.storms.first)
    let (perSecond, recovered) = Self.simulate(seed: 3)
    let api = outcome.series(.apiRequests).values

    // The peak: three attempts per fetch in the first wave, three times the usual rate.
    let simulatedPeak = perSecond[1_800..<3_900].max()!
    #expect(abs(storm.peakRequestsPerSecond - simulatedPeak) / simulatedPeak < 0.04, "plan \(storm.peakRequestsPerSecond), simulated \(simulatedPeak)")
    #expect(abs(simulatedPeak / (Double(Self.n) / 15) - 3) < 0.15)
    // Requests in the outage and in the quarter-hour after it, and the failed ones.
    let planned = api[1_800..<3_900].reduce(0, +)
    let simulated = perSecond[1_800..<3_900].reduce(0, +)
    #expect(abs(planned - simulated) / simulated < 0.01, "plan \(planned), simulated \(simulated)")
    // No jitter anywhere: the clients keep the 15 s band their phases made, so they come back together,
    // the band ending at its last 165 s wait.
    let half = recovered[recovered.count / 2]
    let most = recovered[Int(Double(recovered.count) * 0.99) - 1]
    #expect(abs(try #require(storm.recovered50Seconds) - half) < 1.5, "plan \(storm.recovered50Seconds ?? -1), simulated \(half)")
    #expect(abs(try #require(storm.recovered99Seconds) - most) < 1.5, "plan \(storm.recovered99Seconds ?? -1), simulated \(most)")
    #expect(most <= 3 + 165 && most - half <= 15)
    // Second by second after the end, the same curve (a few percent of Poisson noise per second).
    for second in stride(from: 3_000, to: 3_300, by: 30) {
      let window = (second..<(second + 30))
      let a = api[window].reduce(0, +)
      let b = perSecond[window].reduce(0, +)
      #expect(abs(a - b) <= 0.06 * b + 60, "requests in \(second)..<\(second + 30): plan \(a), simulated \(b)")
    }
  }

  /// Against a refused connection the SDK does not back off: three attempts, then the plain interval,
  /// for the whole outage.
  @Test func aRefusedConnectionIsRetriedAtThePlainInterval() throws {
    let outcome = try plan(capacityScenario(
      devices: Self.n, sync: "- {model: polling, share: 1, interval: 15s, jitter: 0, retry: {rule: unleash-node}}",
      capacity: "storms: [{kind: apiOutage, from: 30m, until: 50m, answer: refused}]"))
    let errors = outcome.series(.apiErrors).values
    // Every 18 s (3 s of attempts and 15 s of wait) three attempts per client: 3/18 per client per second.
    let mid = errors[2_300..<2_500].reduce(0, +) / 200
    let expected = Double(Self.n) * 3 / 18
    #expect(abs(mid - expected) / expected < 0.02, "mid-outage \(mid) failed requests/s, expected \(expected)")
    #expect(try #require(outcome.storms.first?.recovered99Seconds) <= 18.1)
  }
}

/// A small generator for the simulation above, independent of Rollsim's streams.
struct SplitMix {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> Double {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    z ^= z >> 31
    return Double(z >> 11) / Double(1 << 53)
  }
}
