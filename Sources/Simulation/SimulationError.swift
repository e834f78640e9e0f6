/// A refusal from the simulation kernel: what was asked, and why it cannot be done.
public struct SimulationError: Error, Hashable, Sendable, CustomStringConvertible {
  /// The kind of refusal, for code that reacts to it.
  public struct Code: Hashable, Sendable, CustomStringConvertible {
    @usableFromInline
    enum Value: Hashable, Sendable {
      case scheduledInPast
      case invalidWeights
    }

    @usableFromInline
    let value: Value

    @inlinable
    init(_ value: Value) { self.value = value }

    /// An event was to be scheduled before the current simulated time.
    public static let scheduledInPast = Code(.scheduledInPast)
    /// The weights of a ``WeightedChoice`` were empty, negative, not finite, or all zero.
    public static let invalidWeights = Code(.invalidWeights)

    public var description: String {
      switch value {
      case .scheduledInPast: "scheduledInPast"
      case .invalidWeights: "invalidWeights"
      }
    }
  }

  /// The kind of refusal.
  public let code: Code
  /// What was wrong, for a person: names the values involved.
  public let message: String

  @inlinable
  public init(code: Code, message: String) {
    self.code = code
    self.message = message
  }

  public var description: String { "SimulationError.\(code): \(message)" }
}
