import Foundation

/// An Unleash context as an SDK user writes it: standard fields and string properties.
///
/// This is the convenient form; `EvaluationContext` is the form the engine evaluates against.
public struct Context: Sendable, Hashable {
  public var userId: String?
  public var sessionId: String?
  public var environment: String?
  public var appName: String?
  public var currentTime: String?
  public var remoteAddress: String?
  public var properties: [String: String]

  public init(
    userId: String? = nil, sessionId: String? = nil, environment: String? = nil, appName: String? = nil,
    currentTime: String? = nil, remoteAddress: String? = nil, properties: [String: String] = [:]
  ) {
    self.userId = userId
    self.sessionId = sessionId
    self.environment = environment
    self.appName = appName
    self.currentTime = currentTime
    self.remoteAddress = remoteAddress
    self.properties = properties
  }
}

extension Context {
  /// Reads a context from a JSON object as the Unleash client specification writes it.
  ///
  /// Values must be strings or null (null means absent). `place` names the object in error messages.
  public init(json object: Any, place: String) throws(FlagEngineError) {
    guard let dictionary = object as? [String: Any] else {
      throw FlagEngineError(.malformedContext, place: place, "expected an object, found \(Self.kind(of: object))")
    }
    self.init()
    for (key, value) in dictionary.sorted(by: { $0.key < $1.key }) {
      switch key {
      case "userId": userId = try Self.string(value, place: "\(place).userId")
      case "sessionId": sessionId = try Self.string(value, place: "\(place).sessionId")
      case "environment": environment = try Self.string(value, place: "\(place).environment")
      case "appName": appName = try Self.string(value, place: "\(place).appName")
      case "currentTime": currentTime = try Self.string(value, place: "\(place).currentTime")
      case "remoteAddress": remoteAddress = try Self.string(value, place: "\(place).remoteAddress")
      case "properties":
        if value is NSNull { continue }
        guard let properties = value as? [String: Any] else {
          throw FlagEngineError(
            .malformedContext, place: "\(place).properties", "expected an object, found \(Self.kind(of: value))")
        }
        for (name, propertyValue) in properties {
          if let string = try Self.string(propertyValue, place: "\(place).properties.\(name)") {
            self.properties[name] = string
          }
        }
      default:
        // Unknown top-level fields are ignored, as Unleash's reference engine does.
        continue
      }
    }
  }

  /// Parses a context from JSON text.
  public init(jsonText: String, place: String) throws(FlagEngineError) {
    let object: Any
    do {
      object = try JSONSerialization.jsonObject(with: Data(jsonText.utf8), options: [.fragmentsAllowed])
    } catch {
      let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
      throw FlagEngineError(.malformedContext, place: place, "not valid JSON: \(detail)")
    }
    try self.init(json: object, place: place)
  }

  private static func string(_ value: Any, place: String) throws(FlagEngineError) -> String? {
    if value is NSNull { return nil }
    // JSONSerialization gives NSNumber for numbers and booleans; refuse both: Unleash contexts are strings.
    if let string = value as? String, !(value is NSNumber) { return string }
    throw FlagEngineError(.malformedContext, place: place, "expected a string or null, found \(kind(of: value))")
  }

  static func kind(of value: Any) -> String {
    switch value {
    case is NSNull: return "null"
    case let number as NSNumber:
      return String(cString: number.objCType) == "c" ? "a boolean" : "a number"
    case is String: return "a string"
    case is [Any]: return "a list"
    case is [String: Any]: return "an object"
    default: return "\(type(of: value))"
    }
  }
}
