import Foundation
import Testing

@testable import FlagEngine

@Suite struct StateLoadingTests {
  func refusal(_ json: String) -> String? {
    do {
      _ = try StateDocument.decode(Data(json.utf8), source: "state.json")
      return nil
    } catch {
      return error.description
    }
  }

  @Test func malformedStatesNameThePlace() {
    #expect(refusal("{")?.hasPrefix("state.json: not valid JSON") == true)
    #expect(refusal("[]") == "state.json: expected an object with 'features' (or a delta with 'events', or an Unleash export with 'featureStrategies')")
    #expect(refusal(#"{"version":2}"#) == "state.json: missing required field 'features' (or 'events' for a delta)")
    #expect(refusal(#"{"features":[{"name":"a","enabled":"yes"}]}"#) == "state.json: features[0].enabled: expected a boolean, found a string")
    #expect(refusal(#"{"features":[{"enabled":true}]}"#) == "state.json: features[0]: missing required field 'name'")
    #expect(refusal(#"{"features":[{"name":"a","enabled":true,"strategies":[{"name":"default","constraints":[{"contextName":"x","operator":"IN","values":"a"}]}]}]}"#)
      == "state.json: features[0].strategies[0].constraints[0].values: expected a list, found a string")
    #expect(refusal(#"{"events":[{"type":"flag-exploded"}]}"#)?.contains("unknown event type 'flag-exploded'") == true)
  }

  @Test func numericParametersAreRead() throws {
    let state = try compile(#"{"features":[{"name":"f","enabled":true,"strategies":[{"name":"flexibleRollout","parameters":{"rollout":100,"groupId":"g"}}]}]}"#)
    #expect(state.on("f", Context(userId: "u")))
  }

  @Test func deltaEventsApplyInOrder() throws {
    let hydration = try StateDocument.decode(Data(#"""
      {"events":[{"eventId":1,"type":"hydration","features":[{"name":"a","enabled":true},{"name":"b","enabled":true}],"segments":[]}]}
      """#.utf8), source: "delta")
    var definition = hydration.resolved()
    let update = try StateDocument.decode(Data(#"""
      {"events":[
        {"eventId":2,"type":"feature-updated","feature":{"name":"a","enabled":false}},
        {"eventId":3,"type":"feature-removed","featureName":"b"},
        {"eventId":4,"type":"feature-updated","feature":{"name":"c","enabled":true,"strategies":[{"name":"default","segments":[1]}]}},
        {"eventId":5,"type":"segment-updated","segment":{"id":1,"constraints":[{"contextName":"p","operator":"IN","values":["x"]}]}}]}
      """#.utf8), source: "delta")
    definition = update.resolved(from: definition)
    let state = FlagState(definition)
    #expect(state.flagNames == ["a", "c"])
    #expect(!state.on("a"))
    #expect(state.on("c", property("x")))
    #expect(!state.on("c", property("y")))
  }

  @Test func malformedContextsNameThePlace() {
    func refusal(_ json: String) -> String? {
      do {
        _ = try Context(jsonText: json, place: "cases.jsonl:3: context")
        return nil
      } catch { return error.description }
    }
    #expect(refusal(#"{"userId":5}"#) == "cases.jsonl:3: context.userId: expected a string or null, found a number")
    #expect(refusal(#"{"properties":{"hw":true}}"#) == "cases.jsonl:3: context.properties.hw: expected a string or null, found a boolean")
    #expect(refusal(#"{"properties":[]}"#) == "cases.jsonl:3: context.properties: expected an object, found a list")
    #expect(refusal("[1]") == "cases.jsonl:3: context: expected an object, found a list")
    #expect(refusal(#"{"userId":null,"properties":{"a":null,"b":"x"}}"#) == nil)
  }
}
