import Foundation
import Testing

@testable import Capacity
@testable import Scenario

@Suite struct CapacitySteadyStateTests {
  /// N devices polling every T seconds make N/T requests per second: with a fixed interval, with jitter,
  /// and with an interval that is not a whole number of ticks.
  @Test(arguments: [("15s", 15.0, 0.0), ("15s", 15, 0.1), ("60s", 60, 0.5), ("7250ms", 7.25, 0.2)])
  func pollingMatchesTheClosedForm(_ interval: String, _ seconds: Double, _ jitter: Double) throws {
    let n = 60_000
    let outcome = try plan(capacityScenario(devices: n, sync: "- {model: polling, share: 1, interval: \(interval), jitter: \(jitter)}"))
    let expected = Double(n) / seconds
    let api = outcome.series(.apiRequests).stats
    #expect(abs(outcome.closedForm.apiPollsPerSecond - expected) < 1e-9)
    #expect(abs(api.mean - expected) / expected < 0.02, "mean \(api.mean), expected \(expected)")
    #expect(abs(api.p50 - expected) / expected < 0.02, "p50 \(api.p50), expected \(expected)")
    // Over the whole run the mean is much closer than 2%: the grid keeps the mean wait exactly.
    #expect(abs(api.mean - expected) / expected < 0.005, "mean \(api.mean), expected \(expected)")
    #expect(outcome.series(.apiErrors).stats.peak == 0)
    // Nothing changes, so every poll is answered 304.
    #expect(outcome.series(.fullAnswers).stats.peak == 0)
  }

  /// Jitter smooths the start's random phases: every second is within 2% of N/T.
  @Test func jitteredPollingIsFlatSecondBySecond() throws {
    let n = 200_000
    let outcome = try plan(capacityScenario(devices: n, sync: "- {model: polling, share: 1, interval: 15s, jitter: 0.2}"))
    let api = outcome.series(.apiRequests).stats
    let expected = Double(n) / 15
    #expect(abs(api.p99 - expected) / expected < 0.02, "p99 \(api.p99), expected \(expected)")
    #expect(abs(api.peak - expected) / expected < 0.03, "peak \(api.peak), expected \(expected)")
  }

  /// Edge caches: devices poll their edge (N/T on the edges); the edges refresh from the API (E/R).
  @Test func edgeCachesRefreshTheUpstreamEveryRefresh() throws {
    let n = 40_000
    let outcome = try plan(capacityScenario(
      devices: n, sync: "- {model: edge, share: 1, interval: 15s, refresh: 60s, edgesPerRegion: 8}",
      regions: "[{name: eu, share: 0.5, utcOffset: 1}, {name: us, share: 0.3, utcOffset: -5}, {name: ap, share: 0.2, utcOffset: 8}]"))
    let edges = 3 * 8
    #expect(outcome.population.edges == edges)
    let upstream = outcome.series(.upstream).stats.mean
    #expect(abs(upstream - Double(edges) / 60) / (Double(edges) / 60) < 0.02, "upstream \(upstream)")
    #expect(abs(outcome.series(.apiRequests).stats.mean - upstream) < 1e-9)
    let edge = outcome.series(.edgeRequests).stats
    #expect(abs(edge.mean - Double(n) / 15) / (Double(n) / 15) < 0.02, "edge \(edge.mean)")
    #expect(abs(edge.p50 - Double(n) / 15) / (Double(n) / 15) < 0.02, "edge p50 \(edge.p50)")
  }

  /// Offline spells: only the online share polls.
  @Test func onlyOnlineDevicesPoll() throws {
    let n = 100_000
    let text = capacityScenario(devices: n, sync: "- {model: polling, share: 1, interval: 30s, jitter: 0.1}", duration: "6h")
      .replacingOccurrences(of: "activity: {sessionsPerDay: {median: 6, spread: 0.5}}", with: "activity: {sessionsPerDay: 6, online: 0.8, offlineSpell: 1h}")
    let outcome = try plan(text)
    let expected = Double(n) * 0.8 / 30
    let api = outcome.series(.apiRequests).stats
    #expect(abs(api.mean - expected) / expected < 0.02, "mean \(api.mean), expected \(expected)")
  }

  /// Frontend SDKs: one request per session, every flag evaluated; the daily mean follows the sessions.
  @Test func frontendEvaluationsFollowSessions() throws {
    let text = capacityScenario(
      devices: 100_000, sync: "- {model: polling, share: 1, interval: 15s, jitter: 0.1}", capacity: "frontend: {share: 0.5}",
      duration: "1d")
    let outcome = try plan(text)
    let frontend = outcome.series(.frontendRequests).stats
    #expect(outcome.population.frontend > 49_000 && outcome.population.frontend < 51_000)
    #expect(abs(frontend.mean - outcome.closedForm.frontendRequestsPerSecond) / outcome.closedForm.frontendRequestsPerSecond < 0.01)
    #expect(frontend.peak > 1.4 * frontend.mean, "the diurnal curve has an evening peak")
    let evaluations = outcome.series(.evaluations).stats
    #expect(abs(evaluations.mean - 2 * frontend.mean) < 1e-6, "two flags per request")
    // The polling half still polls.
    let polling = Double(outcome.population.polling) / 15
    #expect(abs(outcome.series(.apiRequests).stats.mean - polling) / polling < 0.02)

    // Refreshing every 30 s through a 5-minute session: ten requests per session.
    let refreshing = try plan(text.replacingOccurrences(of: "frontend: {share: 0.5}", with: "frontend: {share: 0.5, refresh: 30s, sessionLength: 5m}"))
    let requests = refreshing.series(.frontendRequests).stats
    #expect(abs(refreshing.closedForm.frontendRequestsPerSecond - 10 * outcome.closedForm.frontendRequestsPerSecond) < 1e-9)
    #expect(abs(requests.mean - refreshing.closedForm.frontendRequestsPerSecond) / refreshing.closedForm.frontendRequestsPerSecond < 0.01)
  }
}
