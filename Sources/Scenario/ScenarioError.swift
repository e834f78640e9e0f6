import FlagEngine
import Fleet
import Foundation
import Yams

/// A scenario Rollsim cannot run: the file, the field path inside it, the value and what was expected,
/// e.g. `scenario.yaml: fleet.cohorts[2].share: 1.4 is not a fraction in 0...1`.
public struct ScenarioError: Error, Sendable, CustomStringConvertible {
  public var file: String
  public var path: String
  public var message: String

  public init(file: String, path: String, _ message: String) {
    self.file = file
    self.path = path
    self.message = message
  }

  public var description: String {
    var text = file
    if !path.isEmpty { text += text.isEmpty ? path : ": \(path)" }
    return text.isEmpty ? message : "\(text): \(message)"
  }

  /// Names the place of a decoding error: Yams' syntax errors carry a line and column; decoding errors
  /// carry the path of keys.
  static func decoding(_ error: any Error, file: String) -> ScenarioError {
    if let yaml = error as? YamlError {
      return ScenarioError(file: file, path: "", "not valid YAML: \(yamlDescription(yaml))")
    }
    guard let decoding = error as? DecodingError else { return ScenarioError(file: file, path: "", "\(error)") }
    switch decoding {
    case .keyNotFound(let key, let context):
      return ScenarioError(file: file, path: path(context.codingPath), "missing required field '\(key.stringValue)'")
    case .typeMismatch(let type, let context):
      return ScenarioError(file: file, path: path(context.codingPath), "expected \(describe(type))\(found(context))")
    case .valueNotFound(let type, let context):
      return ScenarioError(file: file, path: path(context.codingPath), "expected \(describe(type)), found nothing")
    case .dataCorrupted(let context):
      if let underlying = context.underlyingError as? YamlError {
        return ScenarioError(file: file, path: path(context.codingPath), "not valid YAML: \(yamlDescription(underlying))")
      }
      return ScenarioError(file: file, path: path(context.codingPath), context.debugDescription)
    @unknown default:
      return ScenarioError(file: file, path: "", "\(decoding)")
    }
  }

  static func yamlDescription(_ error: YamlError) -> String {
    // Yams' description repeats the YAML text; keep the first line with the position and the problem.
    let text = "\(error)"
    return text.split(separator: "\n").first.map(String.init) ?? text
  }

  static func path(_ codingPath: [any CodingKey]) -> String {
    var text = ""
    for key in codingPath {
      if let index = key.intValue, key.stringValue.hasPrefix("Index") || key.stringValue == "\(index)" {
        text += "[\(index)]"
      } else {
        text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
      }
    }
    return text
  }

  static func describe(_ type: Any.Type) -> String {
    switch type {
    case is String.Type: return "a string"
    case is Bool.Type: return "true or false"
    case is Int.Type: return "a whole number"
    case is Double.Type: return "a number"
    default:
      let name = "\(type)"
      if name.hasPrefix("Array") { return "a list" }
      if name.hasPrefix("Dictionary") { return "a mapping" }
      return "a mapping (\(name))"
    }
  }

  static func found(_ context: DecodingError.Context) -> String {
    let text = context.debugDescription
    if let range = text.range(of: "but found ") {
      return ", found " + text[range.upperBound...].replacingOccurrences(of: " instead.", with: "")
    }
    return ""
  }
}
