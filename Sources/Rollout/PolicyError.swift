/// Why a policy cannot run: the place in the policy, as a path relative to it
/// (`milestones[2].rollout`, `gates[0].alpha`), and what was wrong there.
public struct PolicyError: Error, CustomStringConvertible, Equatable, Sendable {
  /// Path of the offending field relative to the policy; empty for the policy as a whole.
  public var path: String
  public var message: String

  public init(path: String, _ message: String) {
    self.path = path
    self.message = message
  }

  public init(path: String, message: String) {
    self.init(path: path, message)
  }

  /// The same error seen from an enclosing object: `PolicyError(path: "rollout").nested(in: "milestones[2]")`
  /// is at `milestones[2].rollout`.
  public func nested(in prefix: String) -> PolicyError {
    guard !prefix.isEmpty else { return self }
    if path.isEmpty { return PolicyError(path: prefix, message) }
    return PolicyError(path: path.hasPrefix("[") ? prefix + path : prefix + "." + path, message)
  }

  /// A decoding error of a policy, as a policy error: the coding path becomes the field path.
  public init(_ error: DecodingError) {
    let context: DecodingError.Context
    let detail: String
    switch error {
    case .typeMismatch(let type, let c):
      context = c
      detail = c.debugDescription.isEmpty ? "expected \(type)" : c.debugDescription
    case .valueNotFound(let type, let c):
      context = c
      detail = "expected \(type), found null"
    case .keyNotFound(let key, let c):
      context = DecodingError.Context(codingPath: c.codingPath + [key], debugDescription: c.debugDescription)
      detail = "missing required field"
    case .dataCorrupted(let c):
      context = c
      detail = c.debugDescription
    @unknown default:
      self.init(path: "", "\(error)")
      return
    }
    self.init(path: Self.path(context.codingPath), detail)
  }

  /// `[milestones, 2, rollout]` as `milestones[2].rollout`.
  public static func path(_ codingPath: [any CodingKey]) -> String {
    var text = ""
    for key in codingPath {
      if let index = key.intValue {
        text += "[\(index)]"
      } else {
        text += text.isEmpty ? key.stringValue : "." + key.stringValue
      }
    }
    return text
  }

  public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}
