import Foundation

/// Why the engine refused an input: what kind of problem, where it was, and a sentence for a human.
///
/// `place` names the input and the path inside it, e.g. `state.json: features[3].strategies[0].constraints`.
public struct FlagEngineError: Error, Sendable, Hashable, CustomStringConvertible {
  public struct Code: Sendable, Hashable, CustomStringConvertible {
    let name: String
    public static let malformedState = Code(name: "malformed state")
    public static let malformedContext = Code(name: "malformed context")
    public static let unreadableFile = Code(name: "unreadable file")
    public static let malformedSpecification = Code(name: "malformed specification")
    /// An Unleash export holds several environments and none was chosen.
    public static let environmentRequired = Code(name: "environment required")
    /// The environment chosen is not one the export holds (or the document is not an export).
    public static let unknownEnvironment = Code(name: "unknown environment")
    public var description: String { name }
  }

  public let code: Code
  public let place: String
  public let message: String

  public init(_ code: Code, place: String, _ message: String) {
    self.code = code
    self.place = place
    self.message = message
  }

  public var description: String { place.isEmpty ? message : "\(place): \(message)" }
}

extension FlagEngineError {
  /// Turns a `DecodingError` into a message that names the JSON path and the problem.
  static func decoding(_ error: any Error, code: Code, source: String) -> FlagEngineError {
    guard let error = error as? DecodingError else {
      return FlagEngineError(code, place: source, "\(error)")
    }
    func path(_ codingPath: [any CodingKey]) -> String {
      var text = ""
      for key in codingPath {
        if let index = key.intValue {
          text += "[\(index)]"
        } else {
          text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
        }
      }
      return text
    }
    func place(_ codingPath: [any CodingKey]) -> String {
      let inner = path(codingPath)
      return inner.isEmpty ? source : "\(source): \(inner)"
    }
    switch error {
    case .keyNotFound(let key, let context):
      return FlagEngineError(code, place: place(context.codingPath), "missing required field '\(key.stringValue)'")
    case .typeMismatch(let type, let context):
      return FlagEngineError(code, place: place(context.codingPath), "expected \(describe(type))\(detail(context))")
    case .valueNotFound(let type, let context):
      return FlagEngineError(code, place: place(context.codingPath), "expected \(describe(type)), found null")
    case .dataCorrupted(let context):
      let underlying = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
      let message = underlying.map { "not valid JSON: \($0)" } ?? context.debugDescription
      return FlagEngineError(code, place: place(context.codingPath), message)
    @unknown default:
      return FlagEngineError(code, place: source, "\(error)")
    }
  }

  private static func describe(_ type: Any.Type) -> String {
    switch type {
    case is String.Type: return "a string"
    case is Bool.Type: return "a boolean"
    case is Int.Type, is Double.Type: return "a number"
    case is [Any].Type: return "a list"
    default:
      let name = "\(type)"
      if name.hasPrefix("Array") { return "a list" }
      if name.hasPrefix("Dictionary") { return "an object" }
      return "an object (\(name))"
    }
  }

  private static func detail(_ context: DecodingError.Context) -> String {
    // Foundation's text says what it found ("Expected to decode String but found a number instead.").
    let text = context.debugDescription
    if let range = text.range(of: "but found ") {
      return ", found " + text[range.upperBound...].replacingOccurrences(of: " instead.", with: "")
    }
    return ""
  }
}
