/// What a variant check answers: the variant, whether it is a real one, and whether the flag is on.
public struct VariantResult: Sendable, Hashable {
  public var name: String
  /// False for the placeholder variant `disabled`.
  public var enabled: Bool
  /// Whether the flag itself is enabled for the context.
  public var featureEnabled: Bool
  public var payload: Payload?

  public init(name: String, enabled: Bool, featureEnabled: Bool, payload: Payload? = nil) {
    self.name = name
    self.enabled = enabled
    self.featureEnabled = featureEnabled
    self.payload = payload
  }

  /// The answer for a flag that is off or unknown.
  public static let disabled = VariantResult(name: "disabled", enabled: false, featureEnabled: false)
}

/// A flag of a compiled state, found once by name so that evaluations skip the name lookup.
@frozen
public struct FlagHandle: Hashable, Sendable {
  public let index: Int
  init(index: Int) { self.index = index }
}

/// Something in a state that cannot be compiled. The flag concerned is off; the warning says why.
public struct StateWarning: Sendable, Hashable, CustomStringConvertible {
  public let feature: String
  public let message: String
  public var description: String { "\(feature): \(message)" }
}
