import ArgumentParser
import Fleet

/// Reads a number given to an option and refuses one outside the option's range. The parser prints
/// the refusal after "The value '-5' is invalid for '--devices <N>'", and the command exits with 2.
///
/// Options that take a number parse their value `.unconditional`ly, so that `--devices -5` is read as
/// the number -5 (and refused for its range) rather than as a flag named `-5`.
enum ArgumentRange {
  /// A whole number in `range`: a sign and digits, nothing else.
  static func whole<T: FixedWidthInteger & Sendable>(_ range: ClosedRange<T>) -> @Sendable (String) throws -> T {
    { text in
      guard let value = T(text), range.contains(value) else {
        throw ValidationError("must be a whole number in \(range.lowerBound)...\(range.upperBound)")
      }
      return value
    }
  }

  /// A finite number greater than 0 and at most `maximum`, in `unit`.
  static func positive(atMost maximum: Double, unit: String) -> @Sendable (String) throws -> Double {
    { text in
      guard let value = Double(text), value.isFinite, value > 0, value <= maximum else {
        throw ValidationError("must be a number of \(unit) greater than 0 and at most \(Int(maximum))")
      }
      return value
    }
  }

  /// The fleet sizes a scenario accepts (`fleet.devices`, and the runner's and planner's checks).
  static let devices = 1...FleetDefinition.maximumDevices
  /// Any seed: the random streams take 64 bits.
  static let seeds = UInt64.min...UInt64.max
}
