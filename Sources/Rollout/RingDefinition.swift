import Telemetry
/// One ring of a staged push: a name (the value of the ring property the ring's hosts carry), or an
/// object with its own bake time, minimum sample, or a percentage instead of a property value.
///
///     rings: [canary, early, broad]
///     rings: [{name: canary, bake: 2h, minSample: 1000}, {name: "rest", rollout: 100}]
public struct RingDefinition: Sendable, Decodable {
  public var name: String
  /// A percentage ring (whole percent) instead of a ring of hosts named by the ring property.
  public var rollout: Int?
  /// Default: the policy's `bake`.
  public var bake: TimeSpan?
  public var minSample: UInt64
  public var maxDwell: TimeSpan?

  public init(name: String, rollout: Int? = nil, bake: TimeSpan? = nil, minSample: UInt64 = 0, maxDwell: TimeSpan? = nil) {
    self.name = name
    self.rollout = rollout
    self.bake = bake
    self.minSample = minSample
    self.maxDwell = maxDwell
  }

  enum CodingKeys: String, CodingKey, CaseIterable { case name, rollout, bake, minSample, maxDwell }

  public init(from decoder: any Decoder) throws {
    if let container = try? decoder.singleValueContainer(), let name = try? container.decode(String.self) {
      self.init(name: name)
      return
    }
    try decoder.rejectUnknownKeys(CodingKeys.self)
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      name: try c.decode(String.self, forKey: .name), rollout: try c.decodeIfPresent(Int.self, forKey: .rollout),
      bake: try c.decodeIfPresent(TimeSpan.self, forKey: .bake), minSample: try c.decodeIfPresent(UInt64.self, forKey: .minSample) ?? 0,
      maxDwell: try c.decodeIfPresent(TimeSpan.self, forKey: .maxDwell))
  }
}
