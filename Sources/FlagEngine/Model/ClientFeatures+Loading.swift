import Foundation

/// A state document as SDKs receive it: a full client-features payload or a delta (`{events: [...]}`).
public enum StateDocument: Sendable, Hashable {
  case full(ClientFeatures)
  case delta(ClientFeaturesDelta)

  /// Decodes JSON bytes: a client-features payload, a delta, or an Unleash export (`featureStrategies`,
  /// `featureEnvironments`, ...), which is converted to the client-features state of `environment`
  /// (see `UnleashExport.clientFeatures(environment:source:warnings:)`). `environment` may be left out for
  /// an export of one environment; it is refused for a payload or delta, which are already for one.
  /// `source` names the input in error messages (a file name, say); `warnings` receives what a
  /// conversion left out.
  public static func decode(
    _ data: Data, source: String, environment: String? = nil, warnings: inout [String]
  ) throws(FlagEngineError) -> StateDocument {
    let object: Any
    do {
      object = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
    } catch {
      let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
      throw FlagEngineError(.malformedState, place: source, "not valid JSON: \(detail)")
    }
    guard let dictionary = object as? [String: Any] else {
      throw FlagEngineError(
        .malformedState, place: source,
        "expected an object with 'features' (or a delta with 'events', or an Unleash export with 'featureStrategies')")
    }
    if UnleashExport.isExport(dictionary) {
      let export: UnleashExport
      do {
        export = try JSONDecoder().decode(UnleashExport.self, from: data)
      } catch {
        throw FlagEngineError.decoding(error, code: .malformedState, source: source)
      }
      return .full(try export.clientFeatures(environment: environment, source: source, warnings: &warnings))
    }
    if let environment {
      throw FlagEngineError(
        .unknownEnvironment, place: source,
        "environment '\(environment)' was chosen, but this is a client-features state, which an Unleash server "
          + "already made for one environment; an environment is chosen from an Unleash export only")
    }
    do {
      if dictionary["events"] != nil {
        return .delta(try JSONDecoder().decode(ClientFeaturesDelta.self, from: data))
      }
      guard dictionary["features"] != nil else {
        throw FlagEngineError(
          .malformedState, place: source, "missing required field 'features' (or 'events' for a delta)")
      }
      var state = try JSONDecoder().decode(ClientFeatures.self, from: data)
      state.segments = state.segments ?? []
      return .full(state)
    } catch let error as FlagEngineError {
      throw error
    } catch {
      throw FlagEngineError.decoding(error, code: .malformedState, source: source)
    }
  }

  /// `decode(_:source:environment:warnings:)`, dropping the warnings (a flag that uses a segment an export
  /// does not define is still off, and `FlagState.warnings` says so).
  public static func decode(_ data: Data, source: String, environment: String? = nil) throws(FlagEngineError) -> StateDocument {
    var warnings: [String] = []
    return try decode(data, source: source, environment: environment, warnings: &warnings)
  }

  /// Reads and decodes a file (see `decode(_:source:environment:warnings:)`).
  public static func load(path: String, environment: String? = nil, warnings: inout [String]) throws(FlagEngineError) -> StateDocument {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw FlagEngineError(.unreadableFile, place: path, "cannot read the file (missing or not readable)")
    }
    return try decode(data, source: path, environment: environment, warnings: &warnings)
  }

  /// Reads and decodes a file, dropping the warnings.
  public static func load(path: String, environment: String? = nil) throws(FlagEngineError) -> StateDocument {
    var warnings: [String] = []
    return try load(path: path, environment: environment, warnings: &warnings)
  }

  /// The client-features state this document describes, starting from `previous` for a delta.
  public func resolved(from previous: ClientFeatures = ClientFeatures(features: [])) -> ClientFeatures {
    switch self {
    case .full(let state): return state
    case .delta(let delta):
      var state = previous
      state.apply(delta)
      return state
    }
  }
}
