import Foundation
import Testing

@testable import FlagEngine

/// Exports from Unleash's admin UI, converted to the client-features state of one environment. The
/// expected forms follow what Unleash's client API serves (its client-feature-toggle store: archived
/// features and disabled strategies left out, strategies by sortOrder then id, a feature without an entry
/// for the environment off, dependencies from the export's `dependencies`).
@Suite struct UnleashExportTests {
  static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Exports")
  static let export = try! String(contentsOf: folder.appendingPathComponent("admin-export-production.json"), encoding: .utf8)
  static let expected = try! Data(contentsOf: folder.appendingPathComponent("admin-export-production.client-features.json"))

  /// The export as Unleash writes it names segment 7 only; a user adds its constraints to evaluate it.
  static let exportWithSegment = export.replacingOccurrences(
    of: #"{"id": 7, "name": "beta-testers"}"#,
    with: #"{"id": 7, "name": "beta-testers", "constraints": [{"contextName": "cohort", "operator": "IN", "values": ["beta"]}]}"#)

  func convert(_ text: String, environment: String? = nil, warnings: inout [String]) throws -> ClientFeatures {
    try StateDocument.decode(Data(text.utf8), source: "export.json", environment: environment, warnings: &warnings).resolved()
  }

  func refusal(_ text: String, environment: String? = nil) -> String? {
    do {
      _ = try StateDocument.decode(Data(text.utf8), source: "export.json", environment: environment)
      return nil
    } catch {
      return error.description
    }
  }

  @Test func anAdminExportBecomesTheClientFeaturesOfItsEnvironment() throws {
    var warnings: [String] = []
    let converted = try convert(Self.exportWithSegment, warnings: &warnings)
    let expected = try StateDocument.decode(Self.expected, source: "expected").resolved()
    #expect(warnings.isEmpty)
    #expect(converted.features.map(\.name) == ["new-checkout", "checkout-banner", "search-v2", "dark-mode"])
    for (mine, theirs) in zip(converted.features, expected.features) { #expect(mine == theirs, "\(mine.name)") }
    #expect(converted.segments == expected.segments)
    #expect(converted == expected)
    // Naming the environment the export holds gives the same state.
    #expect(try convert(Self.exportWithSegment, environment: "production", warnings: &warnings) == converted)
  }

  @Test func evaluationsOfTheExportAndOfItsClientFeaturesAgree() throws {
    var warnings: [String] = []
    let fromExport = FlagState(try convert(Self.exportWithSegment, warnings: &warnings))
    let fromPayload = FlagState(try StateDocument.decode(Self.expected, source: "expected").resolved())
    #expect(fromExport.warnings.isEmpty && fromPayload.warnings.isEmpty)
    var differences = 0
    var enabledSeen = Set<String>()
    let regions = ["eu-west", "eu-north", "us-east"]
    for index in 0..<4_000 {
      let context = Context(
        userId: String(index), sessionId: "s\(index % 97)", remoteAddress: index % 5 == 0 ? "10.1.2.\(index % 256)" : "172.16.0.1",
        properties: [
          "region": regions[index % 3], "appVersion": "4.\(index % 5).\(index % 3)", "cohort": index % 4 == 0 ? "beta" : "ga",
          "email": index % 2 == 0 ? "u\(index)@EXAMPLE.com" : "u\(index)@mail.test", "plan": index % 3 == 0 ? "pro" : "free",
        ])
      for flag in fromPayload.flagNames {
        var a = EvaluationContext(context, seed: 1)
        var b = EvaluationContext(context, seed: 1)
        let enabled = fromExport.isEnabled(flag, in: &a)
        if enabled != fromPayload.isEnabled(flag, in: &b) || fromExport.variant(flag, in: &a) != fromPayload.variant(flag, in: &b) {
          differences += 1
        }
        if enabled { enabledSeen.insert(flag) }
      }
    }
    #expect(differences == 0)
    // The comparison covers flags that are on for some contexts, not only flags that are off.
    #expect(enabledSeen == ["new-checkout", "checkout-banner"])
  }

  @Test func segmentsWithoutTheirConstraintsAreReported() throws {
    var warnings: [String] = []
    let converted = try convert(Self.export, warnings: &warnings)
    #expect(converted.segments == [])
    #expect(warnings == [
      "export.json: segment 7 'beta-testers' is used by 'new-checkout', but the export does not carry its constraints "
        + "(Unleash exports name segments only); add them as 'constraints' to the segment in the export, or those flags are off"
    ])
    // The flag is then off, as for any segment the state lacks, and the engine says so too.
    let state = FlagState(converted)
    #expect(state.warnings.map(\.description).contains { $0.contains("uses segment 7, which the state does not define") })
    #expect(!state.on("new-checkout", Context(userId: "1", properties: ["cohort": "beta"])))
  }

  /// The older state export (`/api/admin/state/export`) holds every environment; strategies name theirs.
  static let stateExport = #"""
    {"version": 4,
     "features": [{"name": "pay-later", "type": "release", "project": "default", "variants": [{"name": "legacy", "weight": 1000}]},
                  {"name": "audit-log", "type": "operational", "project": "default"}],
     "strategies": [{"name": "default", "parameters": []}],
     "environments": [{"name": "development", "type": "development"}, {"name": "production", "type": "production"}],
     "featureStrategies": [
       {"id": "s1", "featureName": "pay-later", "projectId": "default", "environment": "development", "strategyName": "default", "parameters": {}, "constraints": []},
       {"id": "s2", "featureName": "pay-later", "projectId": "default", "environment": "production", "strategyName": "flexibleRollout",
        "parameters": {"rollout": 10, "stickiness": "default", "groupId": "pay-later"}, "constraints": []},
       {"id": "s3", "featureName": "audit-log", "projectId": "default", "environment": "production", "strategyName": "default", "parameters": {}, "constraints": []}],
     "featureEnvironments": [
       {"enabled": true, "featureName": "pay-later", "environment": "development"},
       {"enabled": true, "featureName": "pay-later", "environment": "production", "variants": []},
       {"enabled": true, "featureName": "audit-log", "environment": "production"}],
     "segments": [{"id": 3, "name": "staff", "constraints": [{"contextName": "email", "operator": "STR_ENDS_WITH", "values": ["@corp.test"]}]}],
     "featureStrategySegments": [{"featureStrategyId": "s3", "segmentId": 3}]}
    """#

  @Test func anExportOfSeveralEnvironmentsNeedsOneChosen() throws {
    #expect(refusal(Self.stateExport) == "export.json: the export holds 2 environments ('development', 'production'); choose one")
    #expect(refusal(Self.stateExport, environment: "staging")
      == "export.json: environment 'staging' is not in the export (it holds 'development', 'production')")

    var warnings: [String] = []
    let development = try convert(Self.stateExport, environment: "development", warnings: &warnings)
    #expect(development.features.map(\.enabled) == [true, false])
    #expect(development.features[0].strategies == [Strategy(name: "default", parameters: [:], constraints: [], variants: [])])
    // Variants kept on the feature (older exports) apply where the environment has none of its own.
    #expect(development.features[0].variants?.map(\.name) == ["legacy"])

    let production = try convert(Self.stateExport, environment: "production", warnings: &warnings)
    #expect(warnings.isEmpty)
    #expect(production.features[0].strategies?.first?.parameters == ["rollout": "10", "stickiness": "default", "groupId": "pay-later"])
    #expect(production.features[0].variants == [])
    #expect(production.features[1].strategies?.first?.segments == [3])
    let state = FlagState(production)
    #expect(state.warnings.isEmpty)
    #expect(state.on("audit-log", Context(properties: ["email": "ana@corp.test"])))
    #expect(!state.on("audit-log", Context(properties: ["email": "ana@mail.test"])))
  }

  @Test func inconsistentExportsAreRefusedWithThePlace() {
    let oneEnvironment = #"{"features": [{"name": "a"}], "featureStrategies": [], "featureEnvironments": [{"featureName": "a", "environment": "production", "enabled": true}]}"#
    #expect(refusal(oneEnvironment, environment: "development")
      == "export.json: environment 'development' is not in the export (it holds 'production')")
    #expect(refusal(#"{"features": [{"name": "a"}, {"name": "a"}], "featureStrategies": []}"#)
      == "export.json: features[1]: feature 'a' is listed twice")
    #expect(refusal(#"{"features": [{"name": "a"}], "featureStrategies": [{"name": "default", "featureName": "b"}]}"#)
      == "export.json: featureStrategies[0]: feature 'b' is not in 'features'")
    #expect(refusal(#"{"features": [{"name": "a"}], "featureStrategies": [{"name": "default"}]}"#)
      == "export.json: featureStrategies[0]: missing required field 'featureName'")
    #expect(refusal(#"{"features": [{"name": "a"}], "featureStrategies": [], "featureEnvironments": [{"featureName": "a", "environment": "p", "enabled": "yes"}]}"#)
      == "export.json: featureEnvironments[0].enabled: expected a boolean, found a string")
    #expect(refusal(#"{"featureStrategies": []}"#) == "export.json: missing required field 'features'")
    let twoEnvironments = #"""
      {"features": [{"name": "a"}], "featureStrategies": [{"name": "default", "featureName": "a"}],
       "featureEnvironments": [{"featureName": "a", "environment": "p", "enabled": true}, {"featureName": "a", "environment": "q", "enabled": true}]}
      """#
    #expect(refusal(twoEnvironments, environment: "p")
      == "export.json: featureStrategies[0]: missing 'environment' in an export of several environments ('p', 'q')")
    let twice = #"{"features": [{"name": "a"}], "featureStrategies": [], "featureEnvironments": [{"featureName": "a", "environment": "p", "enabled": true}, {"featureName": "a", "environment": "p", "enabled": false}]}"#
    #expect(refusal(twice) == "export.json: featureEnvironments[1]: feature 'a' has two entries for environment 'p'")
  }

  @Test func anEnvironmentIsChosenFromExportsOnly() {
    #expect(refusal(#"{"features": []}"#, environment: "production")?.hasPrefix(
      "export.json: environment 'production' was chosen, but this is a client-features state") == true)
    #expect(refusal(#"{"features": [], "featureStrategies": []}"#, environment: "production")
      == "export.json: the export names no environment, so environment 'production' cannot be chosen; leave the environment out")
  }
}
