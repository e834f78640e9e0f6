#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The distributions a fleet simulation draws from, as fixed algorithms on ``RandomStream``.
///
/// Uniform and Bernoulli draws use integer arithmetic and exact floating-point operations only, so they
/// are bit-for-bit the same everywhere. The continuous distributions call the C library's `log`, `exp`
/// and `sqrt`; `sqrt` is exact, and `log` and `exp` are accurate to an ulp or so on every platform Swift
/// supports, so a draw may differ in its last bit between platforms, practically never in a value
/// rounded to a microsecond.
///
/// Each method documents how many 64-bit words it consumes: a fixed number, except where stated.
extension RandomStream {
  /// A uniform `Double` in `[0, 1)`: 53 random bits, so every multiple of 2^-53. One word.
  @inlinable
  public mutating func nextDouble() -> Double {
    Double(next() &>> 11) * 0x1p-53
  }

  /// A uniform `Double` in `(0, 1]`, for logarithms. One word.
  @inlinable
  mutating func nextPositiveUnit() -> Double {
    Double((next() &>> 11) &+ 1) * 0x1p-53
  }

  /// A uniform `Double` in `range`. One word.
  ///
  /// - Precondition: `range` is not empty and its bounds are finite.
  @inlinable
  public mutating func nextDouble(in range: Range<Double>) -> Double {
    precondition(
      !range.isEmpty && range.lowerBound.isFinite && range.upperBound.isFinite,
      "RandomStream.nextDouble(in:): \(range) is empty or not finite")
    let value = range.lowerBound + (range.upperBound - range.lowerBound) * nextDouble()
    return value < range.upperBound ? value : range.upperBound.nextDown
  }

  /// A uniform integer in `0 ..< bound`, without bias (Lemire's multiply-and-reject, 2019). One word,
  /// rarely more: the chance of a redraw is below `bound / 2^64`.
  ///
  /// - Precondition: `bound > 0`.
  @inlinable
  public mutating func nextUInt64(below bound: UInt64) -> UInt64 {
    precondition(bound > 0, "RandomStream.nextUInt64(below:): the bound must be positive")
    var product = next().multipliedFullWidth(by: bound)
    if product.low < bound {
      let threshold = (0 &- bound) % bound
      while product.low < threshold {
        product = next().multipliedFullWidth(by: bound)
      }
    }
    return product.high
  }

  /// A uniform integer in `0 ..< bound`; see ``nextUInt64(below:)``.
  ///
  /// - Precondition: `bound > 0`.
  @inlinable
  public mutating func nextInt(below bound: Int) -> Int {
    precondition(bound > 0, "RandomStream.nextInt(below:): the bound must be positive")
    return Int(truncatingIfNeeded: nextUInt64(below: UInt64(bound)))
  }

  /// A uniform integer in `range`; see ``nextUInt64(below:)``.
  ///
  /// - Precondition: `range` is not empty.
  @inlinable
  public mutating func nextInt(in range: Range<Int>) -> Int {
    precondition(!range.isEmpty, "RandomStream.nextInt(in:): the range is empty")
    let width = UInt64(truncatingIfNeeded: range.upperBound &- range.lowerBound)
    return range.lowerBound &+ Int(truncatingIfNeeded: nextUInt64(below: width))
  }

  /// A uniform integer in `range`; see ``nextUInt64(below:)``.
  @inlinable
  public mutating func nextInt(in range: ClosedRange<Int>) -> Int {
    let width = UInt64(truncatingIfNeeded: range.upperBound &- range.lowerBound) &+ 1
    if width == 0 { return Int(truncatingIfNeeded: next()) }  // the whole of Int
    return range.lowerBound &+ Int(truncatingIfNeeded: nextUInt64(below: width))
  }

  /// `true` with probability `probability` (clamped to `[0, 1]`). One word, whatever the probability,
  /// so that a stream's later draws do not depend on it.
  @inlinable
  public mutating func bernoulli(_ probability: Double) -> Bool {
    nextDouble() < probability
  }

  /// An exponential variate with mean `mean` (rate `1 / mean`), by inversion: `-mean * log(U)`. One word.
  ///
  /// - Precondition (debug): `mean > 0`.
  @inlinable
  public mutating func exponential(mean: Double) -> Double {
    assert(mean > 0, "RandomStream.exponential(mean:): the mean must be positive")
    return -mean * log(nextPositiveUnit())
  }

  /// An exponential delay with mean `mean`, rounded to the nearest microsecond (halves up). One word.
  ///
  /// - Precondition (debug): `mean > 0`.
  @inlinable
  public mutating func exponential(mean: SimulatedTime) -> SimulatedTime {
    assert(mean > .zero, "RandomStream.exponential(mean:): the mean must be positive")
    let micros = -Double(mean.microseconds) * log(nextPositiveUnit())
    return SimulatedTime(microseconds: Int64(micros + 0.5))  // rounds half up; `rounded()` is a libm call
  }

  /// A normal variate, by Marsaglia's polar method. On average 2.55 words (pairs are redrawn when they
  /// fall outside the unit disc); the method's second variate is discarded, so that the stream holds
  /// no hidden state.
  ///
  /// - Precondition (debug): `standardDeviation >= 0`.
  @inlinable
  public mutating func normal(mean: Double = 0, standardDeviation: Double = 1) -> Double {
    assert(standardDeviation >= 0, "RandomStream.normal: the standard deviation must not be negative")
    var u: Double
    var v: Double
    var s: Double
    repeat {
      u = 2 * nextDouble() - 1
      v = 2 * nextDouble() - 1
      s = u * u + v * v
    } while s >= 1 || s == 0
    return mean + standardDeviation * u * sqrt(-2 * log(s) / s)
  }

  /// A log-normal variate: `exp(N(location, scale²))`, so `location` and `scale` are the mean and the
  /// standard deviation of its logarithm. Its median is `exp(location)` and its mean
  /// `exp(location + scale² / 2)`. Words as ``normal(mean:standardDeviation:)``.
  @inlinable
  public mutating func logNormal(location: Double, scale: Double) -> Double {
    exp(normal(mean: location, standardDeviation: scale))
  }
}

// MARK: Counts

extension RandomStream {
  /// A Poisson count with mean `mean`: by inversion (multiplying uniforms until the product falls
  /// below `exp(-mean)`) under a mean of 30, else the normal approximation, rounded and never negative.
  /// Words: `count + 1` by inversion (so O(mean)), about 2.55 above 30. A mean of 0 or less gives 0 and
  /// draws nothing.
  @inlinable
  public mutating func poisson(mean: Double) -> Int {
    guard mean > 0 else { return 0 }
    if mean < 30 {
      let limit = exp(-mean)
      var product = nextDouble()
      var count = 0
      while product > limit {
        product *= nextDouble()
        count += 1
      }
      return count
    }
    return max(0, Int((mean + mean.squareRoot() * normal()).rounded()))
  }

  /// A binomial count of `trials` trials with success probability `probability`: one uniform per trial
  /// under 30 trials, ``poisson(mean:)`` for rare events (a mean under 15 or `probability` under 1%),
  /// else the normal approximation, rounded and kept in `0...trials`. No trials, a probability of 0 or
  /// less, or of 1 or more draw nothing.
  @inlinable
  public mutating func binomial(trials: Int, probability: Double) -> Int {
    guard trials > 0, probability > 0 else { return 0 }
    if probability >= 1 { return trials }
    if trials < 30 {
      var count = 0
      for _ in 0..<trials where nextDouble() < probability { count += 1 }
      return count
    }
    let mean = Double(trials) * probability
    if mean < 15 || probability < 0.01 { return min(trials, poisson(mean: mean)) }
    let deviation = (mean * (1 - probability)).squareRoot()
    return min(trials, max(0, Int((mean + deviation * normal()).rounded())))
  }
}
