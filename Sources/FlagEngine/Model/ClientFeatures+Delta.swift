/// The delta stream (`GET /api/client/delta`): events that turn one client-features state into the next.
public struct ClientFeaturesDelta: Sendable, Hashable, Decodable {
  public var events: [DeltaEvent]

  public init(events: [DeltaEvent]) { self.events = events }
}

/// One event of the delta stream.
public enum DeltaEvent: Sendable, Hashable, Decodable {
  /// Replaces the whole state.
  case hydration(eventId: Int, features: [FeatureDefinition], segments: [Segment])
  case featureUpdated(eventId: Int, feature: FeatureDefinition)
  case featureRemoved(eventId: Int, featureName: String)
  case segmentUpdated(eventId: Int, segment: Segment)
  case segmentRemoved(eventId: Int, segmentId: Int)

  enum CodingKeys: String, CodingKey { case eventId, type, features, segments, feature, featureName, segment, segmentId }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    let eventId = try container.decodeIfPresent(Int.self, forKey: .eventId) ?? 0
    let type = try container.decode(String.self, forKey: .type)
    switch type {
    case "hydration":
      self = .hydration(
        eventId: eventId,
        features: try container.decodeIfPresent([FeatureDefinition].self, forKey: .features) ?? [],
        segments: try container.decodeIfPresent([Segment].self, forKey: .segments) ?? [])
    case "feature-updated":
      self = .featureUpdated(eventId: eventId, feature: try container.decode(FeatureDefinition.self, forKey: .feature))
    case "feature-removed":
      self = .featureRemoved(eventId: eventId, featureName: try container.decode(String.self, forKey: .featureName))
    case "segment-updated":
      self = .segmentUpdated(eventId: eventId, segment: try container.decode(Segment.self, forKey: .segment))
    case "segment-removed":
      self = .segmentRemoved(eventId: eventId, segmentId: try container.decode(Int.self, forKey: .segmentId))
    default:
      throw DecodingError.dataCorruptedError(
        forKey: .type, in: container,
        debugDescription:
          "unknown event type '\(type)' (expected hydration, feature-updated, feature-removed, segment-updated or segment-removed)"
      )
    }
  }
}

extension ClientFeatures {
  /// Applies delta events in order, as an SDK does when it receives them.
  ///
  /// - Complexity: O(e · f) for e events over f features.
  public mutating func apply(_ delta: ClientFeaturesDelta) {
    for event in delta.events {
      switch event {
      case .hydration(_, let features, let segments):
        self.features = features
        self.segments = segments
      case .featureUpdated(_, let feature):
        if let index = features.firstIndex(where: { $0.name == feature.name }) {
          features[index] = feature
        } else {
          features.append(feature)
        }
      case .featureRemoved(_, let name):
        features.removeAll { $0.name == name }
      case .segmentUpdated(_, let segment):
        var segments = self.segments ?? []
        if let index = segments.firstIndex(where: { $0.id == segment.id }) {
          segments[index] = segment
        } else {
          segments.append(segment)
        }
        self.segments = segments
      case .segmentRemoved(_, let id):
        segments?.removeAll { $0.id == id }
      }
    }
  }
}
