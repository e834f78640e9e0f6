import Simulation
import Testing

@testable import Delivery

@Suite struct RetryRuleTests {
  var random = RandomStream(seed: 1, entity: 0, purpose: StreamPurpose("test.retry"))

  /// unleash-client-node 6.x, src/repository/index.ts: `nextFetch() = refreshInterval + failures × refreshInterval`;
  /// a 404, 429 or 5xx raises failures by one, at most 10 (`backoff()`); a 200 lowers it by one
  /// (`countSuccess()`); a 304 leaves it and waits the plain interval; ECONNRESET waits
  /// `max(floor(interval / 2), 1000 ms)`; any other network error the plain interval; 401 and 403 stop.
  @Test mutating func theNodeSDKsRuleIsTheSourcesRule() {
    let rule = RetryRule.unleashNode
    var failures = 0
    var waits: [Double] = []
    for _ in 0..<12 { waits.append(rule.nextFetch(after: .unavailable, interval: 15, failures: &failures, &random)!) }
    #expect(waits == [30, 45, 60, 75, 90, 105, 120, 135, 150, 165, 165, 165])
    #expect(failures == 10)
    // A 304 does not lower the count: the client polls at its interval and keeps its failures.
    #expect(rule.nextFetch(after: .notModified, interval: 15, failures: &failures, &random) == 15)
    #expect(failures == 10)
    // The next 200 lowers it by one and waits interval × (1 + 9).
    #expect(rule.nextFetch(after: .full, interval: 15, failures: &failures, &random) == 150)
    #expect(failures == 9)
    #expect(rule.nextFetch(after: .refused, interval: 15, failures: &failures, &random) == 15)
    #expect(rule.nextFetch(after: .reset, interval: 15, failures: &failures, &random) == 7.5)
    #expect(rule.nextFetch(after: .reset, interval: 1.5, failures: &failures, &random) == 1, "at least 1 s")
    #expect(rule.nextFetch(after: .reset, interval: 15.001, failures: &failures, &random) == 7.5, "whole milliseconds, rounded down")
    #expect(failures == 9, "network errors leave the count")
    #expect(rule.nextFetch(after: .forbidden, interval: 15, failures: &failures, &random) == nil, "401 and 403 stop polling")
  }

  /// make-fetch-happen with `retry: {retries: 2}` tries a 408/420/429/5xx answer or a network error again
  /// after node-retry's default waits, 1 s and 2 s, without randomisation (unleash-client-node, src/request.ts).
  @Test func aNodeFetchIsThreeAttempts() {
    #expect(RetryRule.unleashNode.attemptOffsets(.unavailable) == [0, 1, 3])
    #expect(RetryRule.unleashNode.attemptOffsets(.refused) == [0, 1, 3])
    #expect(RetryRule.unleashNode.attemptOffsets(.forbidden) == [0])
    #expect(RetryRule.standard.attemptOffsets(.unavailable) == [0])
    // In streaming mode the SDK's EventSource reconnects 2 s doubling to 30 s, less up to half at random.
    #expect(RetryRule.unleashNode.reconnection == ExponentialBackoff(initial: .seconds(2), max: .seconds(30), multiplier: 2, jitter: 0.5))
  }

  @Test mutating func exponentialBackoffIsCappedAndJittered() {
    let backoff = ExponentialBackoff(initial: .seconds(1), max: .seconds(60), multiplier: 2, jitter: 1)
    let rule = RetryRule.exponential(backoff)
    var failures = 0
    for k in 0..<10 {
      let wait = rule.nextFetch(after: .unavailable, interval: 15, failures: &failures, &random)!
      #expect(wait >= 0 && wait <= min(60, Double(1 << k)))
    }
    #expect(rule.isSteady(failures: 6, after: .unavailable) && !rule.isSteady(failures: 5, after: .unavailable))
    #expect(rule.nextFetch(after: .notModified, interval: 15, failures: &failures, &random) == 15)
    #expect(failures == 0, "a success forgets the failures")
    let fixed = ExponentialBackoff(initial: .seconds(1), max: .seconds(60), multiplier: 2, jitter: 0)
    #expect((0..<8).map { fixed.wait($0, &random) } == [1, 2, 4, 8, 16, 32, 60, 60])
  }

  /// The stages a crowd of clients is counted by wait as one client does.
  @Test mutating func stagesFollowTheRule() {
    let node = RetryStages(.unleashNode, interval: 15, answer: .unavailable)
    var stage = 0
    var waits: [Double] = []
    for _ in 0..<9 {
      let s = node.stages[stage]
      #expect(s.low == s.high)
      waits.append(s.low)
      stage = s.next
    }
    #expect(waits == [1, 2, 30, 1, 2, 45, 1, 2, 60])
    var last = 0
    for _ in 0..<40 { last = node.stages[last].next }
    #expect(node.stages[last].high <= 165 && node.longest == 165)

    let exponential = RetryStages(.exponential(ExponentialBackoff(initial: .seconds(1), max: .seconds(10), jitter: 0.5)), interval: 15, answer: .unavailable)
    #expect(exponential.stages.map(\.high) == [1, 2, 4, 8, 10])
    #expect(exponential.stages.map(\.low) == [0.5, 1, 2, 4, 5])
    #expect(exponential.stages.last!.next == exponential.stages.count - 1, "the cap is its own next stage")
    // A stream backs off by its reconnection, whatever its polling rule.
    #expect(RetryStages(.unleashNode, interval: 0, answer: .unavailable).stages.map(\.high) == [2, 4, 8, 16, 30])
  }

  @Test func theSteadyCycleIsTheLastWaitPlusTheFetchsAttempts() {
    let node = RetryRule.unleashNode.steadyCycle(after: .unavailable, interval: 15)
    #expect(node.mean == 3 + 165 && node.jitter == 0)
    let refused = RetryRule.unleashNode.steadyCycle(after: .refused, interval: 15)
    #expect(refused.mean == 3 + 15)
    let full = RetryRule.standard.steadyCycle(after: .unavailable, interval: 15)
    #expect(full.mean == 30 && abs(full.jitter - 1) < 1e-12, "full jitter on a 60 s cap: uniform on 0...60")
  }
}
