import Foundation
import Testing

@testable import FlagEngine

/// The shapes constraints are compiled to for speed (short IN lists as words, one short prefix as a
/// word, numbers and versions parsed when a context is set) must answer as the general tests on text do.
@Suite struct CompiledShapeTests {
  static let values = [
    "0", "1", "2", "-1", "+5", "5.", ".5", "1e3", "1.5", "2.0", "-0", "inf", "-inf", "NaN", "nan", "abc", "",
    "1.2.3", "2.0.0", "2.0.0-rc.1", "2.0.0-rc.2", "2.0.0-alpha", "2.0.0+build.7", "2.0.0-rc.1+b", "1.10.0",
    "10.0.0", "2097151.0.0", "2097152.0.0", "18446744073709551615.0.0", "1.2.3.4", "v1.2.3", "01.2.3", "1.2",
  ]
  static let constraints = [
    "NUM_EQ 2", "NUM_GT 1", "NUM_GTE 1.5", "NUM_LT 0", "NUM_LTE -1", "NUM_GT 1e308", "NUM_LT -1e308",
    "SEMVER_EQ 2.0.0", "SEMVER_GT 2.0.0-rc.1", "SEMVER_GTE 2.0.0", "SEMVER_LT 2.0.0", "SEMVER_LTE 1.10.0",
    "SEMVER_GT 2097151.0.0", "SEMVER_LT 2097152.0.0", "SEMVER_EQ 2.0.0-rc.1", "SEMVER_GTE 0.0.0",
  ]

  /// Contexts set before any state read the field as a number keep only its text; contexts set after are
  /// parsed. Both must give every answer alike, inverted or not.
  @Test func parsedValuesAnswerAsText() throws {
    let name = "shape-\(UUID().uuidString)"  // a field no state has read yet
    let field = ContextField(property: name)
    func context(_ value: String) -> EvaluationContext {
      var context = EvaluationContext()
      context[field] = value
      return context
    }
    var textOnly = Self.values.map(context)
    #expect(!FieldRegistry.shared.isReadAsNumber(field.slot))
    try #require(field.slot < FieldRegistry.parsedSlotLimit, "slot \(field.slot): this process interned too many fields to test parsing")
    var features: [String] = []
    for (index, constraint) in Self.constraints.enumerated() {
      let parts = constraint.split(separator: " ")
      for inverted in [false, true] {
        features.append(
          #"{"name":"f\#(index)-\#(inverted)","enabled":true,"strategies":[{"name":"default","constraints":[{"contextName":"\#(name)","operator":"\#(parts[0])","value":"\#(parts[1])","inverted":\#(inverted)}]}]}"#)
      }
    }
    let state = try compile(#"{"version":2,"features":["# + features.joined(separator: ",") + "]}")
    #expect(state.warnings.isEmpty, "\(state.warnings)")
    var parsed = Self.values.map(context)
    // The two readings really differ: the first contexts kept text only, the later ones parsed it.
    #expect(textOnly.allSatisfy { ContextValues.kind(of: $0.values.packed(field.slot)) == .none })
    #expect(parsed.filter { ContextValues.kind(of: $0.values.packed(field.slot)) == .number }.count >= 10)
    #expect(parsed.filter { ContextValues.kind(of: $0.values.packed(field.slot)) == .version }.count >= 10)
    var answers = 0
    for flag in state.flagHandles {
      for index in Self.values.indices {
        let fromText = state.isEnabled(flag, in: &textOnly[index])
        let fromWords = state.isEnabled(flag, in: &parsed[index])
        #expect(fromText == fromWords, "\(state.flagNames[flag.index]) on \(Self.values[index].debugDescription)")
        if fromText { answers += 1 }
      }
    }
    #expect(answers > 50 && answers < state.flagHandles.count * Self.values.count - 50)
  }

  /// IN and NOT_IN over short values compare words; over long or many values, sorted text. Both agree.
  @Test func inListsAsWordsAndAsText() throws {
    let short = ["", "a", "ab", "abcdefg", "é", "1", "2", "eu-west"]
    let long = ["abcdefgh", "abcdefghijklmnop"]
    let many = (0..<17).map { "v\($0)" }
    let probes = short + long + many + ["abcdefg\u{0}", "b", "abcdef", "eu-wes", "eu-west1", "v17", "abcdefghi"]
    for list in [short, short + long, many, ["1", "2", "3"]] {
      let values = list.map { #""\#($0)""# }.joined(separator: ",")
      for op in ["IN", "NOT_IN"] {
        for inverted in [false, true] {
          let state = try constrained(#"{"contextName":"p","operator":"\#(op)","values":[\#(values)],"inverted":\#(inverted)}"#)
          for probe in probes {
            let expected = list.contains { Array($0.utf8) == Array(probe.utf8) } == (op == "IN") ? !inverted : inverted
            #expect(state.on("f", property(probe)) == expected, "\(op) \(list.count) values, inverted \(inverted), \(probe.debugDescription)")
          }
          #expect(state.on("f", property(nil)) == ((op == "NOT_IN") != inverted), "a missing value")
        }
      }
    }
  }

  /// STR_STARTS_WITH one needle of up to 8 bytes compares a masked word; longer needles, several
  /// needles, or caseInsensitive read text. Both agree.
  @Test func prefixesAsWordsAndAsText() throws {
    let probes = ["", "e", "eu", "eu-west", "eu-west-1", "EU-west", "us-east", "abcdefgh", "abcdefghi", "abcdefg", "é-x"]
    for needle in ["e", "eu", "eu-west", "abcdefgh", "abcdefghi", "é"] {
      for caseInsensitive in [false, true] {
        for inverted in [false, true] {
          let state = try constrained(
            #"{"contextName":"p","operator":"STR_STARTS_WITH","values":["\#(needle)"],"caseInsensitive":\#(caseInsensitive),"inverted":\#(inverted)}"#)
          for probe in probes {
            let starts = caseInsensitive ? probe.lowercased().utf8.starts(with: needle.lowercased().utf8) : probe.utf8.starts(with: needle.utf8)
            #expect(state.on("f", property(probe)) == (starts != inverted), "\(needle) ci \(caseInsensitive) inverted \(inverted) on \(probe.debugDescription)")
          }
        }
      }
    }
  }

  /// The batch API answers as one call per evaluation does, both ways round.
  @Test func batchesAnswerAsSingleCalls() throws {
    let state = try compile(#"""
      {"version":2,"features":[
        {"name":"a","enabled":true,"strategies":[{"name":"flexibleRollout","parameters":{"rollout":"50","stickiness":"default","groupId":"a"},
          "constraints":[{"contextName":"hw","operator":"IN","values":["1","2","3"]},{"contextName":"fw","operator":"SEMVER_GTE","value":"2.0.0"}]}]},
        {"name":"b","enabled":true,"strategies":[{"name":"default","constraints":[{"contextName":"hw","operator":"NUM_GT","value":"1"}]}]},
        {"name":"c","enabled":false,"strategies":[{"name":"default"}]},
        {"name":"d","enabled":true,"dependencies":[{"feature":"b"}],"strategies":[{"name":"userWithId","parameters":{"userIds":"user-3,user-8"}}]}]}
      """#)
    func contexts() -> [EvaluationContext] {
      (0..<40).map { i in EvaluationContext(Context(userId: "user-\(i)", properties: ["hw": "\(i % 4)", "fw": "\(1 + i % 3).\(i % 10).0"])) }
    }
    var single = contexts()
    var batch = contexts()
    var results: [Bool] = []
    for flag in state.flagHandles {
      let enabled = state.isEnabled(flag, in: &batch, into: &results)
      let expected = single.indices.map { state.isEnabled(flag, in: &single[$0]) }
      #expect(results == expected, "\(state.flagNames[flag.index])")
      #expect(enabled == expected.filter { $0 }.count)
    }
    let flags = state.flagHandles + state.flagHandles.reversed()
    for index in single.indices {
      state.isEnabled(flags, in: &batch[index], into: &results)
      #expect(results == flags.map { state.isEnabled($0, in: &single[index]) })
    }
  }
}
