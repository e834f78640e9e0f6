import Testing

@testable import FlagEngine

@Suite struct EvaluationContextTests {
  @Test func valuesSurviveGrowthOfSlotsAndText() {
    var context = EvaluationContext()
    let fields = (0..<200).map { ContextField(property: "growth-\($0)") }
    for (index, field) in fields.enumerated() {
      context[field] = String(repeating: "v\(index)-", count: index % 7 + 1)
    }
    context[.userId] = "a user id longer than sixteen bytes"
    for (index, field) in fields.enumerated() {
      #expect(context[field] == String(repeating: "v\(index)-", count: index % 7 + 1))
    }
    #expect(context[.userId] == "a user id longer than sixteen bytes")
  }

  @Test func copiesAreIndependent() {
    var original = EvaluationContext(Context(userId: "u1", properties: ["region": "eu"]))
    var copy = original
    copy[.userId] = "u2"
    copy[ContextField(property: "region")] = nil
    #expect(original[.userId] == "u1")
    #expect(original[ContextField(property: "region")] == "eu")
    original[.userId] = "u3"
    #expect(copy[.userId] == "u2")
  }

  @Test func refillingReusesStorage() {
    var context = EvaluationContext()
    for round in 0..<1000 {
      context.removeAll()
      context[.userId] = "user-\(round)"
      context[.sessionId] = "session-\(round)"
      #expect(context[.userId] == "user-\(round)")
    }
    // Overwriting the last value in place keeps the text from growing.
    for round in 0..<1000 { context[.sessionId] = "session-\(round)" }
    #expect(context.textCount < 64)
  }

  @Test func emptyValuesArePresent() throws {
    var context = EvaluationContext()
    context[.environment] = ""
    #expect(context[.environment] == "")
    let state = try constrained(#"{"contextName":"environment","operator":"IN","values":[""]}"#)
    #expect(state.isEnabled("f", in: &context))
  }
}
