/// The client-features payload an Unleash server sends to SDKs (`GET /api/client/features`):
/// `{version, features, segments}`. Field names follow the wire format; unknown fields are ignored.
public struct ClientFeatures: Sendable, Hashable, Codable {
  public var version: Int
  public var features: [FeatureDefinition]
  public var segments: [Segment]?

  public init(version: Int = 2, features: [FeatureDefinition], segments: [Segment]? = nil) {
    self.version = version
    self.features = features
    self.segments = segments
  }

  enum CodingKeys: String, CodingKey { case version, features, segments }

  /// `version` and `segments` may be left out (hand-written states, scenario files).
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    version = try container.decodeIfPresent(Int.self, forKey: .version) ?? 2
    features = try container.decode([FeatureDefinition].self, forKey: .features)
    segments = try container.decodeIfPresent([Segment].self, forKey: .segments)
  }
}

/// One feature flag as the server describes it.
public struct FeatureDefinition: Sendable, Hashable, Codable {
  public var name: String
  public var enabled: Bool
  public var strategies: [Strategy]?
  public var variants: [Variant]?
  public var dependencies: [Dependency]?
  public var type: String?
  public var project: String?
  public var impressionData: Bool?

  public init(
    name: String, enabled: Bool, strategies: [Strategy]? = nil, variants: [Variant]? = nil,
    dependencies: [Dependency]? = nil, type: String? = nil, project: String? = nil, impressionData: Bool? = nil
  ) {
    self.name = name
    self.enabled = enabled
    self.strategies = strategies
    self.variants = variants
    self.dependencies = dependencies
    self.type = type
    self.project = project
    self.impressionData = impressionData
  }
}

/// An activation strategy: a name with string parameters, constraints, segment references and,
/// optionally, the variants it hands out.
public struct Strategy: Sendable, Hashable, Codable {
  public var name: String
  public var parameters: [String: String]?
  public var constraints: [Constraint]?
  public var segments: [Int]?
  /// `nil` when the strategy has no `variants` field; an empty list falls back to the feature's variants.
  public var variants: [StrategyVariant]?

  public init(
    name: String, parameters: [String: String]? = nil, constraints: [Constraint]? = nil,
    segments: [Int]? = nil, variants: [StrategyVariant]? = nil
  ) {
    self.name = name
    self.parameters = parameters
    self.constraints = constraints
    self.segments = segments
    self.variants = variants
  }

  enum CodingKeys: String, CodingKey { case name, parameters, constraints, segments, variants }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    name = try container.decode(String.self, forKey: .name)
    parameters = try container.decodeIfPresent(ParameterMap.self, forKey: .parameters)?.values
    constraints = try container.decodeIfPresent([Constraint].self, forKey: .constraints)
    segments = try container.decodeIfPresent([Int].self, forKey: .segments)
    variants = try container.decodeIfPresent([StrategyVariant].self, forKey: .variants)
  }
}

/// Strategy parameters are strings on the wire, but hand-written states often use numbers
/// (`"rollout": 50`); both are read as the string an Unleash server would have sent.
struct ParameterMap: Decodable {
  var values: [String: String]

  init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: AnyKey.self)
    var values: [String: String] = [:]
    for key in container.allKeys {
      if try container.decodeNil(forKey: key) { continue }
      if let string = try? container.decode(String.self, forKey: key) {
        values[key.stringValue] = string
      } else if let int = try? container.decode(Int.self, forKey: key) {
        values[key.stringValue] = String(int)
      } else if let bool = try? container.decode(Bool.self, forKey: key) {
        values[key.stringValue] = String(bool)
      } else if let double = try? container.decode(Double.self, forKey: key) {
        values[key.stringValue] = String(double)
      } else {
        throw DecodingError.typeMismatch(
          String.self,
          .init(codingPath: container.codingPath + [key], debugDescription: "expected a string or a number"))
      }
    }
    self.values = values
  }
}

struct AnyKey: CodingKey {
  var stringValue: String
  var intValue: Int? { nil }
  init(stringValue: String) { self.stringValue = stringValue }
  init?(intValue: Int) { nil }
}

/// A condition on one context field.
public struct Constraint: Sendable, Hashable, Codable {
  public var contextName: String
  /// The operator as written (`IN`, `SEMVER_GT`, ...). Unknown operators are kept, and turn the flag off.
  public var `operator`: String
  public var values: [String]?
  public var value: String?
  public var inverted: Bool
  public var caseInsensitive: Bool

  public init(
    contextName: String, operator: String, values: [String]? = nil, value: String? = nil,
    inverted: Bool = false, caseInsensitive: Bool = false
  ) {
    self.contextName = contextName
    self.operator = `operator`
    self.values = values
    self.value = value
    self.inverted = inverted
    self.caseInsensitive = caseInsensitive
  }

  enum CodingKeys: String, CodingKey { case contextName, `operator`, values, value, inverted, caseInsensitive }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    contextName = try container.decode(String.self, forKey: .contextName)
    `operator` = try container.decode(String.self, forKey: .operator)
    values = try container.decodeIfPresent([String].self, forKey: .values)
    value = try container.decodeIfPresent(String.self, forKey: .value)
    inverted = try container.decodeIfPresent(Bool.self, forKey: .inverted) ?? false
    caseInsensitive = try container.decodeIfPresent(Bool.self, forKey: .caseInsensitive) ?? false
  }
}

/// A named, reusable list of constraints that strategies reference by id.
public struct Segment: Sendable, Hashable, Codable {
  public var id: Int
  public var name: String?
  public var constraints: [Constraint]

  public init(id: Int, name: String? = nil, constraints: [Constraint]) {
    self.id = id
    self.name = name
    self.constraints = constraints
  }
}

/// A feature-level variant.
public struct Variant: Sendable, Hashable, Codable {
  public var name: String
  public var weight: Int
  public var stickiness: String?
  public var payload: Payload?
  public var overrides: [VariantOverride]?

  public init(
    name: String, weight: Int, stickiness: String? = nil, payload: Payload? = nil,
    overrides: [VariantOverride]? = nil
  ) {
    self.name = name
    self.weight = weight
    self.stickiness = stickiness
    self.payload = payload
    self.overrides = overrides
  }
}

/// A variant handed out by a strategy. Its stickiness is the strategy's `stickiness` parameter.
public struct StrategyVariant: Sendable, Hashable, Codable {
  public var name: String
  public var weight: Int
  public var payload: Payload?
  public var stickiness: String?

  public init(name: String, weight: Int, payload: Payload? = nil, stickiness: String? = nil) {
    self.name = name
    self.weight = weight
    self.payload = payload
    self.stickiness = stickiness
  }
}

/// Forces a variant for listed values of one context field.
public struct VariantOverride: Sendable, Hashable, Codable {
  public var contextName: String
  public var values: [String]

  public init(contextName: String, values: [String]) {
    self.contextName = contextName
    self.values = values
  }
}

/// The data a variant carries: `{type: "string" | "json" | "csv" | "number", value}`.
public struct Payload: Sendable, Hashable, Codable {
  public var type: String
  public var value: String

  public init(type: String, value: String) {
    self.type = type
    self.value = value
  }
}

/// A parent flag this flag depends on.
public struct Dependency: Sendable, Hashable, Codable {
  public var feature: String
  /// The parent state required; `nil` means enabled.
  public var enabled: Bool?
  /// When non-empty, the parent's variant must be one of these.
  public var variants: [String]?

  public init(feature: String, enabled: Bool? = nil, variants: [String]? = nil) {
    self.feature = feature
    self.enabled = enabled
    self.variants = variants
  }
}
