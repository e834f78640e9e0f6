import Foundation
import Testing

@testable import Capacity
@testable import Scenario

@Suite struct CapacityStormTests {
  static let streaming = "- {model: streaming, share: 1}"

  /// Streams break at once when the API goes down; without jitter every client retries on the same
  /// schedule, so when it comes back every waiting client reconnects in the same second.
  @Test func anOutagesEndWithoutJitterBringsEveryoneBackInOneSecond() throws {
    let n = 50_000
    let outcome = try plan(capacityScenario(
      devices: n, sync: Self.streaming,
      capacity: "storms: [{kind: apiOutage, from: 30m, until: 50m, retry: {initial: 1s, max: 60s, jitter: false}}]"))
    let storm = try #require(outcome.storms.first)
    #expect(storm.waiting == n)
    #expect(storm.peakAfterEndRequestsPerSecond >= 0.99 * Double(n), "peak \(storm.peakAfterEndRequestsPerSecond)")
    #expect(storm.peakAfterEndAtSeconds >= 3000 && storm.peakAfterEndAtSeconds < 3000 + 60)
    #expect(try #require(storm.recovered99Seconds) <= 1 + 60)
    #expect(try #require(storm.recovered99Seconds) - (try #require(storm.recovered50Seconds)) <= 0.2, "all in one instant")
    // During the outage too: each synchronised retry is the whole fleet.
    #expect(storm.peakRequestsPerSecond >= 0.99 * Double(n))
    let connections = outcome.series(.connections)
    #expect(connections.values[1800 + 10] == 0)
    #expect(connections.values[3000 + 120] == Double(n))
    // Each reconnection downloads the whole state.
    let bytes = outcome.series(.apiBytes)
    #expect(bytes.stats.peak >= 0.99 * Double(n) * Double(outcome.payload.stateBytes + outcome.payload.headerBytes))
  }

  /// With full jitter and capped backoff the same clients come back spread over the retry window (60 s):
  /// the peak is a small fraction of them.
  @Test func withJitterAndBackoffThePeakIsSpreadOverTheRetryWindow() throws {
    let n = 50_000
    let outcome = try plan(capacityScenario(
      devices: n, sync: Self.streaming,
      capacity: "storms: [{kind: apiOutage, from: 30m, until: 50m, retry: {initial: 1s, max: 60s, jitter: true}}]"))
    let storm = try #require(outcome.storms.first)
    #expect(storm.waiting == n)
    // Uniform over 60 s would be n/60 a second; allow for the ramp of the first seconds.
    #expect(storm.peakAfterEndRequestsPerSecond < 0.05 * Double(n), "peak \(storm.peakAfterEndRequestsPerSecond)")
    #expect(storm.peakAfterEndRequestsPerSecond > Double(n) / 60 * 0.8, "peak \(storm.peakAfterEndRequestsPerSecond)")
    let half = try #require(storm.recovered50Seconds)
    let most = try #require(storm.recovered99Seconds)
    // The first success after the end is the residual of a capped, fully jittered wait: median
    // 60 - √1800 ≈ 17.6 s, 99% by 54 s.
    #expect(half > 12 && half < 25, "half back after \(half) s")
    #expect(most > 50 && most <= 61, "99% back after \(most) s")
    // Jitter cannot spread the first retry beyond the first backoff (1 s): the break itself is a herd.
    #expect(storm.peakRequestsPerSecond > 0.9 * Double(n), "peak during \(storm.peakRequestsPerSecond)")
    #expect(outcome.series(.connections).values[3000 + 120] == Double(n))
  }

  /// Polling clients notice an outage at their own next poll, so without jitter they keep their phases:
  /// they come back spread over one interval, at about the usual rate, but retry far more often than
  /// they poll while it lasts.
  @Test func pollingClientsKeepTheirPhases() throws {
    let n = 60_000
    let outcome = try plan(capacityScenario(
      devices: n, sync: "- {model: polling, share: 1, interval: 15s, jitter: 0}",
      capacity: "storms: [{kind: apiOutage, from: 30m, until: 50m, retry: {initial: 1s, max: 60s, jitter: false}}]"))
    let storm = try #require(outcome.storms.first)
    let rate = Double(n) / 15
    #expect(storm.waiting == n)
    #expect(storm.peakAfterEndRequestsPerSecond < 2 * rate, "peak after \(storm.peakAfterEndRequestsPerSecond)")
    #expect(storm.peakRequestsPerSecond > 2.5 * rate, "backoff from 1 s retries faster than a 15 s poll")
    #expect(try #require(storm.recovered99Seconds) < 20)
  }

  /// A long outage with a short cap: the capped retries are counted by the renewal equation, and match
  /// the closed form (one attempt per client per cap).
  @Test func longOutagesCountCappedRetries() throws {
    let n = 20_000
    let outcome = try plan(capacityScenario(
      devices: n, sync: Self.streaming, capacity: "storms: [{kind: apiOutage, from: 1h, until: 3h, retry: {initial: 1s, max: 5s, jitter: true}}]",
      duration: "4h"))
    let storm = try #require(outcome.storms.first)
    // Full jitter on a 5 s cap: a wait of 2.5 s on average, so 0.4 attempts per client per second.
    let expected = Double(n) * 7200 / 2.5
    #expect(abs(storm.failedRequests - expected) / expected < 0.02, "failed \(storm.failedRequests), expected \(expected)")
    let errors = outcome.series(.apiErrors).values
    #expect(abs(errors[7200] - Double(n) / 2.5) / (Double(n) / 2.5) < 0.05, "mid-outage \(errors[7200])")
    #expect(try #require(storm.recovered99Seconds) <= 5.1)
  }

  /// An edge restart: polls and frontend requests to the edges fail and retry, streams through the
  /// edges break and (without jitter) come back together, and each edge fetches the state again.
  @Test func anEdgeRestart() throws {
    let text = capacityScenario(
      devices: 40_000,
      sync: "- {model: edge, share: 0.5, interval: 15s, refresh: 60s, edgesPerRegion: 4}\n- {model: streaming, share: 0.5}",
      capacity: """
        frontend: {share: 0.25}
        streaming: {via: edge}
        storms: [{kind: edgeRestart, at: 1h, down: 30s, retry: {jitter: false}}]
        """)
    let outcome = try plan(text)
    let storm = try #require(outcome.storms.first)
    let streaming = outcome.population.streaming
    #expect(storm.peakAfterEndRequestsPerSecond >= Double(streaming))
    #expect(outcome.series(.frontendRequests).values[3600 + 10] == 0, "no frontend request is served while the edges are down")
    let upstream = outcome.series(.upstream).values
    #expect(upstream[3630] >= 4, "every edge fetches the state when it is back")
    #expect(outcome.series(.connections).values[3600 + 5] == 0)
    #expect(outcome.series(.connections).values[3600 + 120] == Double(streaming))
  }
}
