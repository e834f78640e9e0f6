import Foundation

/// A state document as SDKs receive it: a full client-features payload or a delta (`{events: [...]}`).
public enum StateDocument: Sendable, Hashable {
  case full(ClientFeatures)
  case delta(ClientFeaturesDelta)

  /// Decodes JSON bytes. `source` names the input in error messages (a file name, say).
  public static func decode(_ data: Data, source: String) throws(FlagEngineError) -> StateDocument {
    let object: Any
    do {
      object = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
    } catch {
      let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
      throw FlagEngineError(.malformedState, place: source, "not valid JSON: \(detail)")
    }
    guard let dictionary = object as? [String: Any] else {
      throw FlagEngineError(
        .malformedState, place: source, "expected an object with 'features' (or a delta with 'events')")
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

  /// Reads and decodes a file.
  public static func load(path: String) throws(FlagEngineError) -> StateDocument {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw FlagEngineError(.unreadableFile, place: path, "cannot read the file (missing or not readable)")
    }
    return try decode(data, source: path)
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
