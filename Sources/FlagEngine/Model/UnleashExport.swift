import Foundation

/// A feature export from Unleash's admin UI or API (`POST /api/admin/features-batch/export`):
/// `{features, featureStrategies, featureEnvironments, segments, dependencies, contextFields, featureTags,
/// tagTypes, links}`. Unlike the client-features payload, a feature's state is spread over several lists:
/// whether it is on and its variants live in `featureEnvironments` (per environment), its strategies in
/// `featureStrategies`, its parents in `dependencies`.
///
/// The older state export (`/api/admin/state/export`: strategies with `strategyName` and `environment`,
/// `featureStrategySegments`, segments with their constraints, variants on the feature) is read too.
/// Fields Rollsim does not evaluate (tags, context-field definitions, links, descriptions, dates) are
/// ignored, as in the client-features form. `clientFeatures(environment:)` turns an export into what an
/// Unleash server would send an SDK of that environment.
public struct UnleashExport: Sendable, Hashable, Decodable {
  public var features: [ExportFeature]
  public var featureStrategies: [ExportStrategy]
  public var featureEnvironments: [ExportFeatureEnvironment]
  public var segments: [ExportSegment]
  public var dependencies: [ExportDependencies]
  /// The older state export: which segments each strategy uses, by strategy id.
  public var featureStrategySegments: [ExportStrategySegment]

  public init(
    features: [ExportFeature], featureStrategies: [ExportStrategy] = [],
    featureEnvironments: [ExportFeatureEnvironment] = [], segments: [ExportSegment] = [],
    dependencies: [ExportDependencies] = [], featureStrategySegments: [ExportStrategySegment] = []
  ) {
    self.features = features
    self.featureStrategies = featureStrategies
    self.featureEnvironments = featureEnvironments
    self.segments = segments
    self.dependencies = dependencies
    self.featureStrategySegments = featureStrategySegments
  }

  enum CodingKeys: String, CodingKey {
    case features, featureStrategies, featureEnvironments, segments, dependencies, featureStrategySegments
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    features = try container.decode([ExportFeature].self, forKey: .features)
    featureStrategies = try container.decodeIfPresent([ExportStrategy].self, forKey: .featureStrategies) ?? []
    featureEnvironments = try container.decodeIfPresent([ExportFeatureEnvironment].self, forKey: .featureEnvironments) ?? []
    segments = try container.decodeIfPresent([ExportSegment].self, forKey: .segments) ?? []
    dependencies = try container.decodeIfPresent([ExportDependencies].self, forKey: .dependencies) ?? []
    featureStrategySegments =
      try container.decodeIfPresent([ExportStrategySegment].self, forKey: .featureStrategySegments) ?? []
  }

  /// Whether a top-level JSON object is an export rather than a client-features payload: only exports
  /// keep strategies and environments in lists of their own.
  static func isExport(_ object: [String: Any]) -> Bool {
    object["featureStrategies"] != nil || object["featureEnvironments"] != nil
  }
}

/// A feature of an export: its name and what does not depend on the environment.
public struct ExportFeature: Sendable, Hashable, Decodable {
  public var name: String
  public var type: String?
  public var project: String?
  public var impressionData: Bool?
  /// Archived features are not served to SDKs.
  public var archived: Bool?
  /// The older state export kept variants on the feature, for every environment.
  public var variants: [Variant]?

  public init(
    name: String, type: String? = nil, project: String? = nil, impressionData: Bool? = nil, archived: Bool? = nil,
    variants: [Variant]? = nil
  ) {
    self.name = name
    self.type = type
    self.project = project
    self.impressionData = impressionData
    self.archived = archived
    self.variants = variants
  }
}

/// A strategy of one feature in one environment.
public struct ExportStrategy: Sendable, Hashable, Decodable {
  public var id: String?
  public var name: String
  public var featureName: String
  /// Absent in the admin export, which holds one environment; present in the older state export.
  public var environment: String?
  public var parameters: [String: String]?
  public var constraints: [Constraint]?
  public var segments: [Int]?
  public var variants: [StrategyVariant]?
  /// A disabled strategy is kept in the export but not served to SDKs.
  public var disabled: Bool?
  public var sortOrder: Double?

  public init(
    id: String? = nil, name: String, featureName: String, environment: String? = nil,
    parameters: [String: String]? = nil, constraints: [Constraint]? = nil, segments: [Int]? = nil,
    variants: [StrategyVariant]? = nil, disabled: Bool? = nil, sortOrder: Double? = nil
  ) {
    self.id = id
    self.name = name
    self.featureName = featureName
    self.environment = environment
    self.parameters = parameters
    self.constraints = constraints
    self.segments = segments
    self.variants = variants
    self.disabled = disabled
    self.sortOrder = sortOrder
  }

  enum CodingKeys: String, CodingKey {
    case id, name, strategyName, featureName, environment, parameters, constraints, segments, variants, disabled, sortOrder
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    id = try container.decodeIfPresent(String.self, forKey: .id)
    // The admin export calls it `name`, the older state export `strategyName`.
    if container.contains(.name) || !container.contains(.strategyName) {
      name = try container.decode(String.self, forKey: .name)
    } else {
      name = try container.decode(String.self, forKey: .strategyName)
    }
    featureName = try container.decode(String.self, forKey: .featureName)
    environment = try container.decodeIfPresent(String.self, forKey: .environment)
    parameters = try container.decodeIfPresent(ParameterMap.self, forKey: .parameters)?.values
    constraints = try container.decodeIfPresent([Constraint].self, forKey: .constraints)
    segments = try container.decodeIfPresent([Int].self, forKey: .segments)
    variants = try container.decodeIfPresent([StrategyVariant].self, forKey: .variants)
    disabled = try container.decodeIfPresent(Bool.self, forKey: .disabled)
    sortOrder = try container.decodeIfPresent(Double.self, forKey: .sortOrder)
  }
}

/// Whether a feature is on in one environment, and its variants there.
public struct ExportFeatureEnvironment: Sendable, Hashable, Decodable {
  public var featureName: String
  public var environment: String?
  public var enabled: Bool
  /// `nil` when the export says nothing (older exports keep variants on the feature).
  public var variants: [Variant]?

  public init(featureName: String, environment: String? = nil, enabled: Bool, variants: [Variant]? = nil) {
    self.featureName = featureName
    self.environment = environment
    self.enabled = enabled
    self.variants = variants
  }

  enum CodingKeys: String, CodingKey { case featureName, name, environment, enabled, variants }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    // The admin export writes the feature's name twice (`featureName` and `name`); either will do.
    if container.contains(.featureName) || !container.contains(.name) {
      featureName = try container.decode(String.self, forKey: .featureName)
    } else {
      featureName = try container.decode(String.self, forKey: .name)
    }
    environment = try container.decodeIfPresent(String.self, forKey: .environment)
    enabled = try container.decode(Bool.self, forKey: .enabled)
    variants = try container.decodeIfPresent([Variant].self, forKey: .variants)
  }
}

/// A segment as an export names it. The admin export carries only its id and name, not its constraints
/// (the receiving instance is expected to have it); the older state export carries the constraints.
public struct ExportSegment: Sendable, Hashable, Decodable {
  public var id: Int
  public var name: String?
  public var constraints: [Constraint]?

  public init(id: Int, name: String? = nil, constraints: [Constraint]? = nil) {
    self.id = id
    self.name = name
    self.constraints = constraints
  }
}

/// The parents of one feature: `{feature: child, dependencies: [{feature: parent, enabled?, variants?}]}`.
public struct ExportDependencies: Sendable, Hashable, Decodable {
  public var feature: String
  public var dependencies: [Dependency]

  public init(feature: String, dependencies: [Dependency]) {
    self.feature = feature
    self.dependencies = dependencies
  }
}

/// The older state export's link from a strategy (by id) to a segment.
public struct ExportStrategySegment: Sendable, Hashable, Decodable {
  public var featureStrategyId: String
  public var segmentId: Int

  public init(featureStrategyId: String, segmentId: Int) {
    self.featureStrategyId = featureStrategyId
    self.segmentId = segmentId
  }
}
