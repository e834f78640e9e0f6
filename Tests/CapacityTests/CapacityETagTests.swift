import Foundation
import Testing

@testable import Capacity
@testable import Scenario

@Suite struct CapacityETagTests {
  /// After a state change each poller downloads the state once (200), then gets 304s again; bandwidth
  /// follows.
  @Test func aStateChangeGives200sThen304s() throws {
    let n = 30_000
    let text = capacityScenario(
      devices: n, sync: "- {model: polling, share: 1, interval: 15s, jitter: 0}",
      capacity: "payload: {headerBytes: 200, bytes: 50000}\nstorms: [{kind: stateChange, at: 1h}]")
    let outcome = try plan(text)
    let full = outcome.series(.fullAnswers)
    let notModified = outcome.series(.notModified)
    #expect(total(full, 0..<3600) == 0)
    #expect(total(full, 3600..<3615) == Double(n))
    #expect(total(full, 3615..<7200) == 0)
    #expect(abs(total(notModified, 3600..<3615)) < 1e-9, "no 304 while the new state is being fetched")
    #expect(abs(total(notModified, 3615..<3630) - Double(n)) < 1e-6, "304s again afterwards")
    let bytes = outcome.series(.apiBytes)
    let rate = Double(n) / 15
    #expect(abs(bytes.values[1800] - rate * 200) / (rate * 200) < 0.05)
    #expect(abs(total(bytes, 3600..<3615) - Double(n) * (200 + 50_000)) < 1)
    #expect(abs(bytes.values[3630] - rate * 200) / (rate * 200) < 0.05)
    let storm = try #require(outcome.storms.first)
    #expect(storm.fullAnswers == Double(n))
    #expect(try #require(storm.fetched99Seconds) <= 15.1)
    #expect(abs(try #require(storm.fetched50Seconds) - 7.5) <= 0.5, "uniform phases: half within half an interval")
  }

  /// Without ETags every poll downloads the state.
  @Test func withoutETagsEveryPollDownloadsTheState() throws {
    let n = 30_000
    let outcome = try plan(capacityScenario(
      devices: n, sync: "- {model: polling, share: 1, interval: 15s, jitter: 0.1}", capacity: "payload: {etag: false, headerBytes: 200, bytes: 50000}"))
    let rate = Double(n) / 15
    #expect(abs(outcome.series(.fullAnswers).stats.mean - rate) / rate < 0.02)
    #expect(abs(outcome.series(.apiBytes).stats.mean - rate * 50_200) / (rate * 50_200) < 0.02)
  }

  /// Behind edges the new state arrives at each edge's next refresh, then at each device's next poll;
  /// streams get one message each.
  @Test func edgesAndStreamsFetchTheChangeOnce() throws {
    let text = capacityScenario(
      devices: 30_000,
      sync: "- {model: edge, share: 0.5, interval: 15s, refresh: 60s, edgesPerRegion: 4}\n- {model: streaming, share: 0.5}",
      capacity: "storms: [{kind: stateChange, at: 1h}]")
    let outcome = try plan(text)
    let storm = try #require(outcome.storms.first)
    #expect(storm.fullAnswers == Double(outcome.population.edgePolling + outcome.population.edges))
    #expect(storm.messages == Double(outcome.population.streaming))
    #expect(try #require(storm.fetched99Seconds) <= 75.1)
    #expect(try #require(storm.fetched99Seconds) > 45, "behind edges refreshing every 60 s")
    // The scenario's own state, serialized, is the size of a full answer.
    #expect(outcome.payload.stateMeasured && outcome.payload.stateBytes > 100 && outcome.payload.stateBytes < 1000)
  }
}
