import Testing

@testable import FlagEngine

// Expectations marked "yggdrasil" were confirmed with yggdrasil-engine 2.0.0 (unleash-yggdrasil 0.21.5).
@Suite struct VariantTests {
  func evaluate(_ state: FlagState, _ flag: String, _ context: Context) -> VariantResult {
    var evaluation = EvaluationContext(context)
    return state.variant(flag, in: &evaluation)
  }

  @Test func weightsPickByMurmurWithTheVariantSeed() throws {
    let state = try compile(#"""
      {"features":[{"name":"f","enabled":true,"strategies":[{"name":"default"}],
        "variants":[{"name":"a","weight":333},{"name":"b","weight":333},{"name":"c","weight":334}]}]}
      """#)
    for user in 0..<200 {
      let target = Murmur3.hash("f:\(user)", seed: 86_028_157) % 1000 + 1
      let expected = target <= 333 ? "a" : target <= 666 ? "b" : "c"
      #expect(state.variantName("f", Context(userId: "\(user)")) == expected)
    }
  }

  @Test func flagWithoutVariantsGivesDisabledWithFeatureEnabled() throws {
    let state = try compile(#"{"features":[{"name":"f","enabled":true,"strategies":[{"name":"default"}]},{"name":"g","enabled":false,"variants":[{"name":"a","weight":1}]}]}"#)
    #expect(evaluate(state, "f", Context()) == VariantResult(name: "disabled", enabled: false, featureEnabled: true))
    #expect(evaluate(state, "g", Context()) == .disabled)
  }

  @Test func payloadsAreReturned() throws {
    let state = try compile(#"{"features":[{"name":"f","enabled":true,"variants":[{"name":"a","weight":1,"payload":{"type":"json","value":"{\"k\":1}"}}]}]}"#)
    #expect(evaluate(state, "f", Context(userId: "1")).payload == Payload(type: "json", value: #"{"k":1}"#))
  }

  @Test func overridesWinInVariantOrder() throws {
    // yggdrasil: the first variant (in order) with a matching override wins.
    let state = try compile(#"""
      {"features":[{"name":"f","enabled":true,"variants":[
        {"name":"a","weight":50,"overrides":[{"contextName":"userId","values":["7"]}]},
        {"name":"b","weight":50,"overrides":[{"contextName":"tenant","values":["t9"]},{"contextName":"remoteAddress","values":["1.1.1.1"]}]}]}]}
      """#)
    #expect(state.variantName("f", Context(userId: "7")) == "a")
    #expect(state.variantName("f", Context(userId: "8", properties: ["tenant": "t9"])) == "b")
    #expect(state.variantName("f", Context(userId: "7", remoteAddress: "1.1.1.1")) == "a")
  }

  @Test func customStickinessUsesTheFirstVariantsSetting() throws {
    let state = try compile(#"{"features":[{"name":"f","enabled":true,"variants":[{"name":"a","weight":50,"stickiness":"tenant"},{"name":"b","weight":50,"stickiness":"other"}]}]}"#)
    for tenant in ["t1", "t2", "t3", "t4", "t5"] {
      let target = Murmur3.hash("f:\(tenant)", seed: 86_028_157) % 100 + 1
      #expect(state.variantName("f", Context(properties: ["tenant": tenant])) == (target <= 50 ? "a" : "b"))
    }
  }

  @Test func strategyVariantsOfTheFirstMatchingStrategyWin() throws {
    // yggdrasil: the first strategy that is on decides: its own variants if it has any, else the feature's.
    let state = try compile(#"""
      {"features":[{"name":"f","enabled":true,"variants":[{"name":"feature","weight":1}],"strategies":[
        {"name":"default","constraints":[{"contextName":"p","operator":"IN","values":["x"]}]},
        {"name":"default","parameters":{"stickiness":"tenant","groupId":"G"},"variants":[{"name":"first","weight":1}]},
        {"name":"default","variants":[{"name":"second","weight":1}]}]},
       {"name":"g","enabled":true,"variants":[{"name":"feature","weight":1}],"strategies":[
        {"name":"default","variants":[]}]}]}
      """#)
    #expect(state.variantName("f", Context(properties: ["p": "x"])) == "feature")
    #expect(state.variantName("f", Context()) == "first")
    #expect(state.variantName("g", Context()) == "feature", "an empty strategy variant list falls back")
  }

  @Test func strategyVariantsUseTheStrategyGroupAndStickiness() throws {
    let state = try compile(#"""
      {"features":[{"name":"f","enabled":true,"strategies":[{"name":"flexibleRollout",
        "parameters":{"rollout":"100","stickiness":"tenant","groupId":"G"},
        "variants":[{"name":"a","weight":500},{"name":"b","weight":500}]}]}]}
      """#)
    for tenant in ["t1", "t2", "t3", "t4", "t5", "t6"] {
      let target = Murmur3.hash("G:\(tenant)", seed: 86_028_157) % 1000 + 1
      #expect(state.variantName("f", Context(properties: ["tenant": tenant])) == (target <= 500 ? "a" : "b"))
    }
  }

  @Test func allZeroWeightsTurnTheFlagOffWithAWarning() throws {
    // yggdrasil traps (division by zero) here; Rollsim switches the flag off and says why.
    let state = try compile(#"{"features":[{"name":"f","enabled":true,"variants":[{"name":"a","weight":0},{"name":"b","weight":0}]}]}"#)
    #expect(!state.on())
    #expect(evaluate(state, "f", Context(userId: "1")) == .disabled)
    #expect(state.warnings.first?.message.contains("weight 0") == true)
  }

  @Test func unstickyVariantIsRandomButReproducible() throws {
    let state = try compile(#"{"features":[{"name":"f","enabled":true,"variants":[{"name":"a","weight":1},{"name":"b","weight":1}]}]}"#)
    func draws(_ seed: UInt64) -> [String] {
      var context = EvaluationContext(seed: seed)
      return (0..<40).map { _ in state.variant("f", in: &context).name }
    }
    #expect(draws(1) == draws(1))
    #expect(Set(draws(1)) == ["a", "b"])
  }
}
