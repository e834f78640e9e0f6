import FlagEngine
import Foundation
import Testing

@testable import Fleet

@Suite struct DeviceContextTests {
  /// Flags that read different parts of a device's context.
  static let flags: [String: FeatureDefinition] = {
    let decoder = JSONDecoder()
    func feature(_ json: String) -> FeatureDefinition { try! decoder.decode(FeatureDefinition.self, from: Data(json.utf8)) }
    return [
      "rollout": feature(#"{"name": "f", "enabled": true, "strategies": [{"name": "flexibleRollout", "parameters": {"rollout": "30", "stickiness": "default", "groupId": "f"}}]}"#),
      "cohort": feature(#"{"name": "f", "enabled": true, "strategies": [{"name": "default", "constraints": [{"contextName": "cohort", "operator": "IN", "values": ["beta"]}]}]}"#),
      "firmware": feature(#"{"name": "f", "enabled": true, "strategies": [{"name": "flexibleRollout", "parameters": {"rollout": "50", "stickiness": "deviceId", "groupId": "f"}, "constraints": [{"contextName": "firmwareVersion", "operator": "SEMVER_GT", "value": "4.0.0"}, {"contextName": "hardwareGeneration", "operator": "NUM_GTE", "value": "2"}]}]}"#),
      "variants": feature(#"{"name": "f", "enabled": true, "strategies": [{"name": "default"}], "variants": [{"name": "a", "weight": 500, "stickiness": "region"}, {"name": "b", "weight": 500, "stickiness": "region", "overrides": [{"contextName": "platform", "values": ["ios"]}]}]}"#),
    ]
  }()

  @Test func aFlagReadsOnlyTheFieldsItsRulesName() throws {
    let fleet = Fleet(try definition(smallFleetJSON), seed: 1, devices: 100)
    let builder = DeviceContextBuilder(fleet: fleet)
    func read(_ name: String) -> DeviceContextBuilder.FieldSet {
      let state = FlagState(ClientFeatures(features: [Self.flags[name]!]))
      return builder.fieldsRead(by: state.flag("f")!, in: state)
    }
    #expect(read("rollout") == [.userId])
    #expect(read("cohort") == [.cohort])
    #expect(read("firmware") == [.deviceId, .firmwareVersion, .hardwareGeneration])
    #expect(read("variants") == [.region, .platform])
  }

  /// Writing only the fields a flag reads is an optimisation the simulation relies on: it must never
  /// change a device's answer.
  @Test func aContextWithOnlyTheFieldsReadAnswersAsTheFullOne() throws {
    let fleet = Fleet(try definition(smallFleetJSON), seed: 7, devices: 5000)
    for (name, feature) in Self.flags {
      let state = FlagState(ClientFeatures(features: [feature]))
      let flag = state.flag("f")!
      var full = DeviceContextBuilder(fleet: fleet)
      var masked = DeviceContextBuilder(fleet: fleet)
      let fields = masked.fieldsRead(by: flag, in: state)
      var differences = 0
      for device in 0..<fleet.count {
        full.fill(device, DeviceAttributes(fleet, device))
        masked.fill(device, DeviceAttributes(fleet, device), only: fields)
        let a = full.withContext { state.variant(flag, in: &$0) }
        let b = masked.withContext { state.variant(flag, in: &$0) }
        if a.name != b.name || a.featureEnabled != b.featureEnabled { differences += 1 }
      }
      #expect(differences == 0, "flag \(name)")
    }
  }
}
