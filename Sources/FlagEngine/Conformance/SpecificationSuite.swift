import Foundation

/// One file of the Unleash client specification: a state and the answers an SDK must give for it.
public struct SpecificationSuite: Sendable {
  public struct Case: Sendable {
    public let description: String
    public let toggleName: String
    public let context: Context
    public let expected: Expected
  }

  public enum Expected: Sendable, Hashable {
    case enabled(Bool)
    case variant(VariantResult)
  }

  /// What went wrong with one case.
  public struct Failure: Sendable, CustomStringConvertible {
    public let suite: String
    public let testCase: Case
    public let actual: String

    public var description: String {
      "\(suite): \(testCase.description)\n    toggle \(testCase.toggleName): expected \(Self.text(testCase.expected)), got \(actual)"
    }

    static func text(_ expected: Expected) -> String {
      switch expected {
      case .enabled(let value): return "enabled=\(value)"
      case .variant(let variant): return SpecificationSuite.text(variant)
      }
    }
  }

  public let name: String
  public let state: StateDocument
  public let cases: [Case]

  /// Reads a specification file.
  public static func load(path: String) throws(FlagEngineError) -> SpecificationSuite {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw FlagEngineError(.unreadableFile, place: path, "cannot read the file")
    }
    let root: [String: Any]
    do {
      guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
        throw FlagEngineError(.malformedSpecification, place: path, "expected an object with 'state' and 'tests'")
      }
      root = object
    } catch let error as FlagEngineError {
      throw error
    } catch {
      throw FlagEngineError(.malformedSpecification, place: path, "not valid JSON")
    }
    guard let stateObject = root["state"] else {
      throw FlagEngineError(.malformedSpecification, place: path, "missing required field 'state'")
    }
    let stateData: Data
    do {
      stateData = try JSONSerialization.data(withJSONObject: stateObject)
    } catch {
      throw FlagEngineError(.malformedSpecification, place: "\(path): state", "cannot be re-encoded")
    }
    let state = try StateDocument.decode(stateData, source: "\(path): state")
    var cases: [Case] = []
    for (key, isVariant) in [("tests", false), ("variantTests", true)] {
      guard let list = root[key] else { continue }
      guard let tests = list as? [[String: Any]] else {
        throw FlagEngineError(.malformedSpecification, place: "\(path): \(key)", "expected a list of objects")
      }
      for (index, test) in tests.enumerated() {
        let place = "\(path): \(key)[\(index)]"
        guard let toggleName = test["toggleName"] as? String else {
          throw FlagEngineError(.malformedSpecification, place: place, "missing 'toggleName'")
        }
        let context = try Context(json: test["context"] ?? [String: Any](), place: "\(place).context")
        let expected: Expected
        if isVariant {
          guard let object = test["expectedResult"] as? [String: Any], let name = object["name"] as? String,
            let enabled = object["enabled"] as? Bool
          else {
            throw FlagEngineError(.malformedSpecification, place: "\(place).expectedResult", "expected a variant object")
          }
          var payload: Payload? = nil
          if let payloadObject = object["payload"] as? [String: Any], let type = payloadObject["type"] as? String,
            let value = payloadObject["value"] as? String
          {
            payload = Payload(type: type, value: value)
          }
          // Older files lack feature_enabled; the spec then means "whatever the flag is".
          let featureEnabled = (object["feature_enabled"] ?? object["featureEnabled"]) as? Bool
          expected = .variant(
            VariantResult(name: name, enabled: enabled, featureEnabled: featureEnabled ?? enabled, payload: payload))
        } else {
          guard let value = test["expectedResult"] as? Bool else {
            throw FlagEngineError(.malformedSpecification, place: "\(place).expectedResult", "expected true or false")
          }
          expected = .enabled(value)
        }
        cases.append(
          Case(description: test["description"] as? String ?? "", toggleName: toggleName, context: context, expected: expected))
      }
    }
    let name = (root["name"] as? String) ?? URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
    return SpecificationSuite(name: name, state: state, cases: cases)
  }

  /// Runs every case; returns the failures (empty when the engine conforms).
  public func run() -> (passed: Int, failures: [Failure]) {
    let flagState = FlagState(state.resolved())
    var passed = 0
    var failures: [Failure] = []
    for testCase in cases {
      var context = EvaluationContext(testCase.context)
      switch testCase.expected {
      case .enabled(let expected):
        let actual = flagState.isEnabled(testCase.toggleName, in: &context)
        if actual == expected { passed += 1 } else {
          failures.append(Failure(suite: name, testCase: testCase, actual: "enabled=\(actual)"))
        }
      case .variant(let expected):
        let actual = flagState.variant(testCase.toggleName, in: &context)
        if actual == expected { passed += 1 } else {
          failures.append(Failure(suite: name, testCase: testCase, actual: Self.text(actual)))
        }
      }
    }
    return (passed, failures)
  }

  static func text(_ variant: VariantResult) -> String {
    var text = "variant \(variant.name) (enabled=\(variant.enabled), feature_enabled=\(variant.featureEnabled)"
    if let payload = variant.payload { text += ", payload \(payload.type): \(payload.value)" }
    return text + ")"
  }
}
