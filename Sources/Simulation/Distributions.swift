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
  /// A Poisson count with mean `mean`, exact: by inversion (multiplying uniforms until the product falls
  /// below `exp(-mean)`) under a mean of 30, else by Hörmann's transformed rejection, PTRS (1993).
  /// Words: `count + 1` by inversion (so O(mean)), about 2.2 on average by rejection. A mean of 0 or less
  /// gives 0 and draws nothing.
  ///
  /// - Precondition (debug): `mean` is finite.
  @inlinable
  public mutating func poisson(mean: Double) -> Int {
    assert(mean.isFinite, "RandomStream.poisson(mean:): the mean must be finite")
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
    // PTRS: a transformed uniform proposes k, accepted in a box under the density or by the exact ratio.
    let logMean = log(mean)
    let b = 0.931 + 2.53 * mean.squareRoot()
    let a = -0.059 + 0.02483 * b
    let inverseAlpha = 1.1239 + 1.1328 / (b - 3.4)
    let boxHeight = 0.9277 - 3.6224 / (b - 2)
    while true {
      let u = nextDouble() - 0.5
      let v = nextDouble()
      let us = 0.5 - abs(u)
      let k = ((2 * a / us + b) * u + mean + 0.43).rounded(.down)
      if us >= 0.07 && v <= boxHeight { return Int(k) }
      if k < 0 || (us < 0.013 && v > us) { continue }
      if log(v * inverseAlpha / (a / (us * us) + b)) <= -mean + k * logMean - Self.logFactorial(k) { return Int(k) }
    }
  }

  /// A binomial count of `trials` trials with success probability `probability`, exact in every regime:
  /// one uniform per trial under 30 trials; else, with `q` the smaller of `probability` and its
  /// complement, geometric waiting times between successes when `trials · q` is under 10 (about
  /// `trials · q + 1` words: the rare events gates measure), and Hörmann's transformed rejection, BTRS
  /// (1993), above (about 2.5 words on average). No trials, a probability of 0 or less, or of 1 or more
  /// draw nothing.
  ///
  /// - Precondition (debug): `probability` is not NaN.
  @inlinable
  public mutating func binomial(trials: Int, probability: Double) -> Int {
    assert(!probability.isNaN, "RandomStream.binomial: the probability must not be NaN")
    guard trials > 0, probability > 0 else { return 0 }
    if probability >= 1 { return trials }
    if trials < 30 {
      var count = 0
      for _ in 0..<trials where nextDouble() < probability { count += 1 }
      return count
    }
    if probability > 0.5 { return trials - binomialCount(trials: trials, probability: 1 - probability) }
    return binomialCount(trials: trials, probability: probability)
  }

  /// ``binomial(trials:probability:)`` for at least 30 trials and `0 < probability <= 0.5`.
  @inlinable
  mutating func binomialCount(trials: Int, probability p: Double) -> Int {
    let n = Double(trials)
    if n * p < 10 {
      // The gaps between successes are geometric: count the successes whose position is within n.
      let logFailure = log1p(-p)
      var successes = 0
      var position = 0.0
      while true {
        position += (log(nextPositiveUnit()) / logFailure).rounded(.down) + 1
        if position > n { return successes }
        successes += 1
      }
    }
    // BTRS: a transformed uniform proposes k, accepted in a box under the probability mass function or by
    // the exact ratio of the pmf at k to the pmf at the mode m.
    let spread = (n * p * (1 - p)).squareRoot()
    let b = 1.15 + 2.53 * spread
    let a = -0.0873 + 0.0248 * b + 0.01 * p
    let c = n * p + 0.5
    let boxHeight = 0.92 - 4.2 / b
    let odds = p / (1 - p)
    let alpha = (2.83 + 5.1 / b) * spread
    let m = ((n + 1) * p).rounded(.down)
    while true {
      let u = nextDouble() - 0.5
      let v = nextDouble()
      let us = 0.5 - abs(u)
      let k = ((2 * a / us + b) * u + c).rounded(.down)
      if k < 0 || k > n { continue }
      if us >= 0.07 && v <= boxHeight { return Int(k) }
      let logRatio =
        (m + 0.5) * log((m + 1) / (odds * (n - m + 1))) + (n + 1) * log((n - m + 1) / (n - k + 1))
        + (k + 0.5) * log(odds * (n - k + 1) / (k + 1))
        + Self.stirlingTail(m) + Self.stirlingTail(n - m) - Self.stirlingTail(k) - Self.stirlingTail(n - k)
      if log(v * alpha / (a / (us * us) + b)) <= logRatio { return Int(k) }
    }
  }

  /// `log(k!)` for a whole `k >= 0`, by Stirling's formula and ``stirlingTail(_:)`` (to about 1e-10).
  @usableFromInline
  static func logFactorial(_ k: Double) -> Double {
    (k + 0.5) * log(k + 1) - (k + 1) + 0.918_938_533_204_672_7 + stirlingTail(k)
  }

  /// `log(k!) - ((k + 1/2) log(k + 1) - (k + 1) + log(2π) / 2)`, Stirling's error, for a whole `k >= 0`:
  /// a table to 9, then the series' first three terms (as Hörmann's BTRS and TensorFlow compute it).
  @usableFromInline
  static func stirlingTail(_ k: Double) -> Double {
    if k <= 9 { return stirlingTails[Int(k)] }
    let squared = (k + 1) * (k + 1)
    return (1.0 / 12 - (1.0 / 360 - 1.0 / 1260 / squared) / squared) / (k + 1)
  }

  static let stirlingTails: [Double] = [
    0.081_061_466_795_327_2, 0.041_340_695_955_409_2, 0.027_677_925_684_998_3, 0.020_790_672_103_765_09,
    0.016_644_691_189_821_1, 0.013_876_128_823_070_7, 0.011_896_709_945_891_7, 0.010_411_265_261_972_0,
    0.009_255_462_182_712_73, 0.008_330_563_433_362_87,
  ]
}
