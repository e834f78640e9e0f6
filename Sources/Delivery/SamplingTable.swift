import Simulation

/// A distribution sampled by table: 1,024 quantiles and linear interpolation between them, so a draw
/// costs a multiply and two loads instead of logarithms and exponentials. The table is computed
/// exactly from the distribution's quantile function; the outermost 1/2048 of probability on each side
/// is clamped to the outermost quantiles (far beyond the p99.9 a latency histogram reads).
public struct SamplingTable: Sendable {
  let quantiles: [Double]
  let fixed: Double?

  static let size = 1024

  /// A distribution that is always 0 (no latency to record).
  package var isFixedZero: Bool { fixed == 0 }

  public init(_ distribution: Distribution) {
    switch distribution {
    case .fixed(let value):
      fixed = value
      quantiles = []
    default:
      fixed = nil
      quantiles = (0...Self.size).map { index in
        distribution.quantile((Double(index) + 0.5) / Double(Self.size + 1))
      }
    }
  }

  @inline(__always)
  public func sample(_ random: inout RandomStream) -> Double {
    if let fixed { return fixed }
    let position = random.nextDouble() * Double(Self.size)
    let index = Int(position)
    let fraction = position - Double(index)
    return quantiles.withUnsafeBufferPointer { q in q[index] + (q[index + 1] - q[index]) * fraction }
  }
}

/// Exp(1) draws by table (4,096 intervals over the body) with the exact logarithm in the far tail, so
/// waiting times keep their full tail.
public struct ExponentialTable: Sendable {
  let values: [Double]
  static let size = 4096
  static let cut = 1.0 / 1024

  public init() {
    // -log(u) for u from `cut` to 1, evenly spaced.
    values = (0...Self.size).map { index in
      let u = Self.cut + (1 - Self.cut) * Double(index) / Double(Self.size)
      return -log(u)
    }
  }

  @inline(__always)
  public func sample(_ random: inout RandomStream) -> Double {
    let u = 1 - random.nextDouble()  // in (0, 1]
    if u < Self.cut { return -log(u) }
    let position = (u - Self.cut) / (1 - Self.cut) * Double(Self.size)
    let index = min(Int(position), Self.size - 1)
    let fraction = position - Double(index)
    return values.withUnsafeBufferPointer { v in v[index] + (v[index + 1] - v[index]) * fraction }
  }
}

extension Distribution {
  /// The quantile function.
  public func quantile(_ p: Double) -> Double {
    switch self {
    case .fixed(let value): return value
    case .logNormal(let median, let sigma): return median * exp(sigma * Self.inverseNormal(p))
    case .exponential(let mean): return -mean * log(1 - p)
    case .uniform(let low, let high): return low + (high - low) * p
    }
  }

  /// The standard normal quantile (Acklam's rational approximation, relative error below 1.2e-9).
  static func inverseNormal(_ p: Double) -> Double {
    let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
    let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01]
    let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
    let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
    let low = 0.02425
    if p < low {
      let q = (-2 * log(p)).squareRoot()
      return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    }
    if p > 1 - low {
      let q = (-2 * log(1 - p)).squareRoot()
      return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    }
    let q = p - 0.5
    let r = q * q
    return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
      / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
  }
}

import Foundation
