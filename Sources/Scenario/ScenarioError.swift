import FlagEngine
import Fleet
import Foundation

/// A scenario Rollsim cannot run: the file, the line and column, the field path inside it, and what was
/// wrong, e.g. `scenario.yaml:14:12: fleet.cohorts[2].share: 1.4 is not a fraction in 0...1`.
public struct ScenarioError: Error, Sendable, CustomStringConvertible {
  public var file: String
  public var location: SourceLocation?
  public var path: String
  public var message: String

  public init(file: String, location: SourceLocation? = nil, path: String, _ message: String) {
    self.file = file
    self.location = location
    self.path = path
    self.message = message
  }

  public var description: String {
    var text = file
    if let location { text += text.isEmpty ? "line \(location.line):\(location.column)" : ":\(location)" }
    if !path.isEmpty { text += text.isEmpty ? path : ": \(path)" }
    return text.isEmpty ? message : "\(text): \(message)"
  }

  init(file: String, _ failure: YAMLFailure) {
    self.init(file: file, location: failure.location, path: failure.path, failure.message)
  }
}
