import Testing

@testable import FlagEngine

// Expectations marked "yggdrasil" were confirmed with yggdrasil-engine 2.0.0 (unleash-yggdrasil 0.21.5).
@Suite struct StrategyTests {
  func single(_ strategy: String) throws -> FlagState {
    try compile(#"{"features":[{"name":"f","enabled":true,"strategies":["# + strategy + "]}]}")
  }

  @Test func defaultAndNoStrategiesAreOn() throws {
    #expect(try single(#"{"name":"default"}"#).on())
    #expect(try compile(#"{"features":[{"name":"f","enabled":true,"strategies":[]}]}"#).on())
    #expect(try compile(#"{"features":[{"name":"f","enabled":true}]}"#).on())
    #expect(!(try compile(#"{"features":[{"name":"f","enabled":false,"strategies":[{"name":"default"}]}]}"#)).on())
  }

  @Test func unknownFlagIsOff() throws {
    let state = try single(#"{"name":"default"}"#)
    #expect(!state.on("nope"))
    var context = EvaluationContext()
    #expect(state.variant("nope", in: &context) == .disabled)
  }

  @Test func userWithIdSplitsAndTrims() throws {
    // yggdrasil: "a, b ,c,," lists a, b, c and the empty id.
    let state = try single(#"{"name":"userWithId","parameters":{"userIds":"a, b ,c,,"}}"#)
    for id in ["a", "b", "c", ""] { #expect(state.on("f", Context(userId: id)), "\(id)") }
    #expect(!state.on("f", Context(userId: " b")))
    #expect(!state.on("f", Context()))
  }

  @Test func flexibleRolloutBucketsWithMurmur3() throws {
    // Client specification 10: user 25 is in group Feature.flexibleRollout.userId.55 at 55%.
    let state = try single(#"{"name":"flexibleRollout","parameters":{"rollout":"55","stickiness":"userId","groupId":"Feature.flexibleRollout.userId.55"}}"#)
    #expect(Murmur3.hash("Feature.flexibleRollout.userId.55:25") % 100 + 1 <= 55)
    #expect(state.on("f", Context(userId: "25")))
    #expect(!state.on("f", Context(sessionId: "25")), "userId stickiness ignores sessionId")
  }

  @Test func rolloutShareIsTheRolloutPercentage() throws {
    let state = try single(#"{"name":"flexibleRollout","parameters":{"rollout":"30","stickiness":"default","groupId":"g"}}"#)
    var on = 0
    for user in 0..<10_000 where state.on("f", Context(userId: "user-\(user)")) { on += 1 }
    #expect(abs(Double(on) / 10_000 - 0.30) < 0.02)
  }

  @Test func defaultStickinessFallsBackToSessionThenRandom() throws {
    let full = try single(#"{"name":"flexibleRollout","parameters":{"rollout":"100"}}"#)
    #expect(full.on("f", Context()), "100% is on even without ids (random stickiness)")
    let none = try single(#"{"name":"flexibleRollout","parameters":{"rollout":"0"}}"#)
    #expect(!none.on("f", Context(userId: "u")))
    // With a sessionId only, the bucket of "<groupId>:<sessionId>" decides.
    let half = try single(#"{"name":"flexibleRollout","parameters":{"rollout":"50","groupId":"g"}}"#)
    for session in ["s1", "s2", "s3", "s4", "s5"] {
      let expected = Murmur3.hash("g:\(session)") % 100 + 1 <= 50
      #expect(half.on("f", Context(sessionId: session)) == expected)
    }
  }

  @Test func customStickinessNeedsItsField() throws {
    // yggdrasil: a rollout sticky on a missing field is off, even at 100%.
    let state = try single(#"{"name":"flexibleRollout","parameters":{"rollout":"100","stickiness":"tenant"}}"#)
    #expect(state.on("f", Context(properties: ["tenant": "t"])))
    #expect(!state.on("f", Context(userId: "u")))
    let environment = try single(#"{"name":"flexibleRollout","parameters":{"rollout":"100","stickiness":"environment"}}"#)
    #expect(environment.on("f", Context(environment: "prod")))
  }

  @Test func groupIdDefaultsToTheFlagName() throws {
    let state = try single(#"{"name":"flexibleRollout","parameters":{"rollout":"50","stickiness":"userId"}}"#)
    for user in 0..<50 {
      let expected = Murmur3.hash("f:\(user)") % 100 + 1 <= 50
      #expect(state.on("f", Context(userId: "\(user)")) == expected)
    }
  }

  @Test func badRolloutValues() throws {
    // yggdrasil: a rollout that is not a whole number turns the strategy off (others still count);
    // a whole number above 100 turns the whole flag off.
    let notNumber = try compile(#"{"features":[{"name":"f","enabled":true,"strategies":[{"name":"flexibleRollout","parameters":{"rollout":"5x"}},{"name":"default"}]}]}"#)
    #expect(notNumber.on("f", Context(userId: "1")))
    #expect(notNumber.warnings.isEmpty)
    let above = try compile(#"{"features":[{"name":"f","enabled":true,"strategies":[{"name":"flexibleRollout","parameters":{"rollout":"101"}},{"name":"default"}]}]}"#)
    #expect(!above.on("f", Context(userId: "1")))
    #expect(above.warnings.count == 1)
    #expect(above.warnings.first?.message.contains("above 100") == true)
    #expect(try single(#"{"name":"flexibleRollout","parameters":{"rollout":"+100"}}"#).on("f", Context(userId: "1")))
  }

  @Test func gradualRolloutUserAndSession() throws {
    let user = try single(#"{"name":"gradualRolloutUserId","parameters":{"percentage":"100","groupId":"g"}}"#)
    #expect(user.on("f", Context(userId: "u")))
    #expect(!user.on("f", Context(sessionId: "s")))
    let session = try single(#"{"name":"gradualRolloutSessionId","parameters":{"percentage":"100","groupId":"g"}}"#)
    #expect(session.on("f", Context(sessionId: "s")))
    #expect(!session.on("f", Context(userId: "u")))
    // yggdrasil: without a groupId these strategies are off.
    #expect(!(try single(#"{"name":"gradualRolloutUserId","parameters":{"percentage":"100"}}"#)).on("f", Context(userId: "u")))
  }

  @Test func gradualRolloutRandom() throws {
    #expect(try single(#"{"name":"gradualRolloutRandom","parameters":{"percentage":"100"}}"#).on())
    #expect(!(try single(#"{"name":"gradualRolloutRandom","parameters":{"percentage":"0"}}"#)).on())
    // yggdrasil: draws are 1...99 and must be below the percentage, so 101 is always on.
    #expect(try single(#"{"name":"gradualRolloutRandom","parameters":{"percentage":"101"}}"#).on())
    let half = try single(#"{"name":"gradualRolloutRandom","parameters":{"percentage":"50"}}"#)
    var context = EvaluationContext(seed: 7)
    var on = 0
    for _ in 0..<10_000 where half.isEnabled("f", in: &context) { on += 1 }
    #expect(abs(Double(on) / 10_000 - 49.0 / 99.0) < 0.02)
  }

  @Test func randomDrawsAreReproducibleFromTheSeed() throws {
    let state = try single(#"{"name":"gradualRolloutRandom","parameters":{"percentage":"50"}}"#)
    func answers(_ seed: UInt64) -> [Bool] {
      var context = EvaluationContext(seed: seed)
      return (0..<64).map { _ in state.isEnabled("f", in: &context) }
    }
    #expect(answers(3) == answers(3))
    #expect(answers(3) != answers(4))
  }

  @Test func remoteAddressStrategy() throws {
    // yggdrasil: entries are trimmed, invalid ones skipped.
    let state = try single(#"{"name":"remoteAddress","parameters":{"IPs":"10.0.0.0/8, 192.168.1.1,bad, ::1"}}"#)
    for (address, expected) in [("10.2.3.4", true), ("192.168.1.1", true), ("192.168.1.2", false), ("::1", true), ("bad", false)] {
      #expect(state.on("f", Context(remoteAddress: address)) == expected, "\(address)")
    }
    #expect(!state.on("f", Context()))
  }

  @Test func applicationHostnameComparesWithoutCase() throws {
    let state = try single(#"{"name":"applicationHostname","parameters":{"hostNames":"Build-01, web-2"}}"#)
    var context = EvaluationContext()
    #expect(!state.isEnabled("f", in: &context), "no host name: off, as in the reference engine's build")
    context.hostname = "build-01"
    #expect(state.isEnabled("f", in: &context))
    context.hostname = "web-3"
    #expect(!state.isEnabled("f", in: &context))
  }

  @Test func unknownStrategyIsOffButOthersCount() throws {
    let state = try compile(#"{"features":[{"name":"f","enabled":true,"strategies":[{"name":"my-custom"}]},{"name":"g","enabled":true,"strategies":[{"name":"my-custom"},{"name":"default"}]}]}"#)
    #expect(!state.on("f"))
    #expect(state.on("g"))
  }

  @Test func segmentsAddTheirConstraints() throws {
    let state = try compile(#"""
      {"features":[{"name":"f","enabled":true,"strategies":[{"name":"default","segments":[1]}]}],
       "segments":[{"id":1,"constraints":[{"contextName":"region","operator":"STR_STARTS_WITH","values":["eu"]}]}]}
      """#)
    #expect(state.on("f", Context(properties: ["region": "eu-west"])))
    #expect(!state.on("f", Context(properties: ["region": "us-east"])))
  }

  @Test func missingSegmentTurnsTheFlagOff() throws {
    // yggdrasil: even another strategy that would match cannot turn it on.
    let state = try compile(#"{"features":[{"name":"f","enabled":true,"strategies":[{"name":"default","segments":[9]},{"name":"default"}]}]}"#)
    #expect(!state.on())
    #expect(state.warnings.map(\.message).contains { $0.contains("segment 9") })
  }

  @Test func definitionsThatSwitchTheWholeFlagOff() throws {
    // yggdrasil: each of these turns the flag off even though a second, plain strategy would match.
    for constraint in [
      #"{"contextName":"p","operator":"NOT_AN_OPERATOR","value":"x"}"#,
      #"{"contextName":"p","operator":"STR_CONTAINS","values":[]}"#,
      #"{"contextName":"p","operator":"IN_CIDR","values":[]}"#,
      #"{"contextName":"p","operator":"NUM_EQ"}"#,
      #"{"contextName":"p","operator":"NUM_GT","value":".5"}"#,
      #"{"contextName":"p","operator":"DATE_AFTER","value":"2023-01-01"}"#,
      #"{"contextName":"p","operator":"SEMVER_GT","value":"01.0.0"}"#,
    ] {
      let state = try compile(#"{"features":[{"name":"f","enabled":true,"strategies":[{"name":"default","constraints":["# + constraint + #"]},{"name":"default"}]}]}"#)
      #expect(!state.on("f", property("x")), "\(constraint)")
      #expect(state.warnings.count == 1, "\(constraint)")
    }
  }
}
