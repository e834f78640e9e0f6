/// `<`, `<=`, `>`, `>=`.
public enum ComparisonOperator: String, Sendable, Hashable, CaseIterable, Codable {
  case less = "<"
  case lessOrEqual = "<="
  case greater = ">"
  case greaterOrEqual = ">="

  public init(from decoder: any Decoder) throws { self = try decodeNamedValue(ComparisonOperator.self, from: decoder) }

  public func holds(_ value: Double, _ threshold: Double) -> Bool {
    switch self {
    case .less: return value < threshold
    case .lessOrEqual: return value <= threshold
    case .greater: return value > threshold
    case .greaterOrEqual: return value >= threshold
    }
  }
}

/// A condition on a value: `"<= 0.02"` in a scenario (quote it in YAML, where `>` starts a block), or
/// `{operator: "<=", threshold: 0.02}`.
public struct Condition: Sendable, Hashable, Codable, CustomStringConvertible {
  public var `operator`: ComparisonOperator
  public var threshold: Double

  public init(_ operator: ComparisonOperator, _ threshold: Double) {
    self.operator = `operator`
    self.threshold = threshold
  }

  public func holds(_ value: Double) -> Bool { self.operator.holds(value, threshold) }

  public var description: String { "\(self.operator.rawValue) \(formatNumber(threshold))" }

  enum CodingKeys: String, CodingKey, CaseIterable { case `operator`, threshold }

  public init(from decoder: any Decoder) throws {
    if let container = try? decoder.singleValueContainer(), let text = try? container.decode(String.self) {
      let trimmed = String(text.trimmingSpaces)
      for op in [ComparisonOperator.lessOrEqual, .greaterOrEqual, .less, .greater] where trimmed.hasPrefix(op.rawValue) {
        if let number = Double(String(String(trimmed.dropFirst(op.rawValue.count)).trimmingSpaces)), number.isFinite {
          self.init(op, number)
          return
        }
      }
      throw DecodingError.dataCorruptedError(
        in: container, debugDescription: "expected a condition such as \"<= 0.02\" or \"> 500\" (quoted in YAML), found \"\(text)\"")
    }
    try decoder.rejectUnknownKeys(CodingKeys.self)
    let container = try decoder.container(keyedBy: CodingKeys.self)
    self.init(try container.decode(ComparisonOperator.self, forKey: .operator), try container.decode(Double.self, forKey: .threshold))
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(description)
  }
}
