import Foundation
import Testing

@testable import Simulation

/// Sample mean and (unbiased) variance.
func moments(_ values: [Double]) -> (mean: Double, variance: Double) {
  let mean = values.reduce(0, +) / Double(values.count)
  let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
  return (mean, variance)
}

/// Every bound below is six standard errors of the statistic for n samples, so a correct implementation
/// fails with probability below 10^-8 for a random seed; the seeds are fixed, so the tests cannot flake.
/// A wrong scale, rate or parameterisation moves the statistic by far more than six standard errors.
@Suite("Distributions")
struct DistributionTests {
  static let n = 200_000

  func stream(_ name: String) -> RandomStream {
    RandomStreams(seed: 2024).stream(entity: 1, purpose: StreamPurpose(name))
  }

  @Test("Uniform doubles lie in [0, 1) with mean 1/2 and variance 1/12")
  func uniformDouble() {
    var stream = stream("uniform")
    let values = (0..<Self.n).map { _ in stream.nextDouble() }
    #expect(values.allSatisfy { $0 >= 0 && $0 < 1 })
    let (mean, variance) = moments(values)
    // Standard error of the mean: sqrt(1/12/n) = 0.00065; of the variance: sqrt(1/180/n) = 0.00017.
    #expect(abs(mean - 0.5) < 6 * 0.000_65)
    #expect(abs(variance - 1.0 / 12) < 6 * 0.000_17)
    var ranged = stream
    #expect((0..<1_000).allSatisfy { _ in (-2.0..<(-1.0)).contains(ranged.nextDouble(in: -2.0..<(-1.0))) })
  }

  @Test("Uniform integers below a bound: every value equally often, never out of range")
  func uniformInteger() {
    var stream = stream("integers")
    var counts = [Int](repeating: 0, count: 10)
    for _ in 0..<Self.n { counts[stream.nextInt(below: 10)] += 1 }
    // Each count is Binomial(n, 1/10): standard deviation sqrt(n * 0.09) = 134.
    for count in counts { #expect(abs(count - Self.n / 10) < 6 * 134) }
    #expect((0..<100).allSatisfy { _ in stream.nextInt(below: 1) == 0 })
    #expect((0..<1_000).allSatisfy { _ in (-5..<5).contains(stream.nextInt(in: -5..<5)) })
    #expect((0..<1_000).allSatisfy { _ in (7...9).contains(stream.nextInt(in: 7...9)) })
    _ = stream.nextInt(in: Int.min...Int.max)  // the whole range does not trap
    // A bound near 2^64 still lands below it (Lemire's rejection).
    let bound = UInt64.max - 2
    #expect((0..<1_000).allSatisfy { _ in stream.nextUInt64(below: bound) < bound })
  }

  @Test("Bernoulli(p) is true a fraction p of the time and uses one word whatever p is")
  func bernoulli() {
    var stream = stream("bernoulli")
    let hits = (0..<Self.n).count { _ in stream.bernoulli(0.3) }
    // Binomial(n, 0.3): standard deviation sqrt(n * 0.21) = 205.
    #expect(abs(hits - Self.n * 3 / 10) < 6 * 205)
    var a = self.stream("words")
    var b = a
    _ = a.bernoulli(0)
    _ = b.bernoulli(1)
    #expect(a.next() == b.next())
    #expect((0..<1_000).allSatisfy { _ in !a.bernoulli(0) && a.bernoulli(1) })
  }

  @Test("Exponential(mean m): mean m, variance m², median m ln 2")
  func exponential() {
    var stream = stream("exponential")
    let mean = 2.5
    let values = (0..<Self.n).map { _ in stream.exponential(mean: mean) }
    #expect(values.allSatisfy { $0 >= 0 && $0.isFinite })
    let (sampleMean, variance) = moments(values)
    // Standard errors: mean m / sqrt(n) = 0.0056; variance m² sqrt(8 / n) = 0.0395.
    #expect(abs(sampleMean - mean) < 6 * 0.0056)
    #expect(abs(variance - mean * mean) < 6 * 0.0395)
    // The fraction below the median is 1/2, standard error sqrt(0.25 / n) = 0.0011.
    let belowMedian = Double(values.count { $0 < mean * log(2) }) / Double(Self.n)
    #expect(abs(belowMedian - 0.5) < 6 * 0.0011)
  }

  @Test("Exponential delays in microseconds have the requested mean")
  func exponentialDelay() {
    var stream = stream("delay")
    let delays = (0..<Self.n).map { _ in stream.exponential(mean: .seconds(30)) }
    #expect(delays.allSatisfy { $0 >= .zero })
    let mean = delays.reduce(0.0) { $0 + $1.seconds } / Double(Self.n)
    // Standard error 30 / sqrt(n) = 0.067 s.
    #expect(abs(mean - 30) < 6 * 0.067)
  }

  @Test("Normal(μ, σ): mean μ, variance σ², symmetric")
  func normal() {
    var stream = stream("normal")
    let values = (0..<Self.n).map { _ in stream.normal(mean: 3, standardDeviation: 2) }
    let (mean, variance) = moments(values)
    // Standard errors: mean σ / sqrt(n) = 0.0045; variance σ² sqrt(2 / n) = 0.0126.
    #expect(abs(mean - 3) < 6 * 0.0045)
    #expect(abs(variance - 4) < 6 * 0.0126)
    // P(X < μ - σ) = 0.158655; standard error sqrt(p (1 - p) / n) = 0.00082.
    let belowOneSigma = Double(values.count { $0 < 1 }) / Double(Self.n)
    #expect(abs(belowOneSigma - 0.158_655) < 6 * 0.000_82)
  }

  @Test("Log-normal(location, scale): its logarithm is normal; mean exp(μ + σ²/2)")
  func logNormal() {
    var stream = stream("lognormal")
    let location = 0.5
    let scale = 0.4
    let values = (0..<Self.n).map { _ in stream.logNormal(location: location, scale: scale) }
    #expect(values.allSatisfy { $0 > 0 })
    let (logMean, logVariance) = moments(values.map { log($0) })
    // Standard errors: 0.4 / sqrt(n) = 0.0009; 0.16 sqrt(2 / n) = 0.0005.
    #expect(abs(logMean - location) < 6 * 0.000_9)
    #expect(abs(logVariance - scale * scale) < 6 * 0.000_5)
    let (mean, _) = moments(values)
    // Mean exp(0.58) = 1.7860; variance (e^0.16 - 1) e^1.16 = 0.5535, standard error sqrt(0.5535 / n) = 0.0017.
    #expect(abs(mean - exp(location + scale * scale / 2)) < 6 * 0.001_7)
  }

  @Test("A weighted choice draws each outcome with its weight's share, never one of weight zero")
  func weightedChoice() throws {
    let choice = try WeightedChoice(weights: [1, 0, 2, 7, 0.5])
    #expect(choice.count == 5)
    let expected: [Double] = [1 / 10.5, 0, 2 / 10.5, 7 / 10.5, 0.5 / 10.5]
    #expect(choice.probabilities == expected)
    var stream = stream("weighted")
    var counts = [Int](repeating: 0, count: 5)
    for _ in 0..<Self.n { counts[choice.sample(using: &stream)] += 1 }
    #expect(counts[1] == 0)
    for (index, probability) in choice.probabilities.enumerated() {
      let standardError = (Double(Self.n) * probability * (1 - probability)).squareRoot()
      #expect(abs(Double(counts[index]) - Double(Self.n) * probability) <= 6 * standardError, "outcome \(index)")
    }
  }

  @Test("Many random weights, zeros among them: frequencies follow the weights")
  func weightedChoiceRandomWeights() throws {
    var stream = stream("weights")
    let weights = (0..<40).map { index in index % 7 == 0 ? 0 : stream.exponential(mean: 1) }
    let choice = try WeightedChoice(weights: weights)
    var counts = [Int](repeating: 0, count: weights.count)
    for _ in 0..<Self.n { counts[choice.sample(using: &stream)] += 1 }
    for (index, probability) in choice.probabilities.enumerated() {
      let standardError = (Double(Self.n) * probability * (1 - probability)).squareRoot()
      #expect(abs(Double(counts[index]) - Double(Self.n) * probability) <= 6 * standardError, "outcome \(index)")
      if probability == 0 { #expect(counts[index] == 0) }
    }
    let single = try WeightedChoice(weights: [3])
    #expect((0..<100).allSatisfy { _ in single.sample(using: &stream) == 0 })
  }

  /// Mean and variance of `n` counts against the distribution's, within six standard errors (the
  /// variance's from the fourth central moment `m4`).
  func expectMoments(_ counts: [Int], mean: Double, variance: Double, m4: Double, _ label: String) {
    let (m, v) = moments(counts.map(Double.init))
    let n = Double(counts.count)
    #expect(abs(m - mean) < 6 * (variance / n).squareRoot(), "\(label): mean \(m) vs \(mean)")
    #expect(abs(v - variance) < 6 * ((m4 - variance * variance) / n).squareRoot(), "\(label): variance \(v) vs \(variance)")
  }

  /// Pearson's chi-square of `counts` against the probability mass function whose logarithm `logPMF`
  /// gives, over the values expected at least 20 times (the rest pooled), held to its degrees of freedom
  /// plus six of its standard deviations, sqrt(2 df).
  func expectDistribution(_ counts: [Int], logPMF: (Int) -> Double, support: ClosedRange<Int>, _ label: String) {
    var observed = [Int: Int]()
    for count in counts { observed[count, default: 0] += 1 }
    let n = Double(counts.count)
    var chiSquare = 0.0
    var cells = 0
    var pooledExpected = 0.0
    var pooledObserved = 0
    for k in support {
      let expected = n * exp(logPMF(k))
      if expected >= 20 {
        let difference = Double(observed[k, default: 0]) - expected
        chiSquare += difference * difference / expected
        cells += 1
      } else {
        pooledExpected += expected
        pooledObserved += observed[k, default: 0]
      }
    }
    // Whatever lies outside the support is observed in the pooled cell too, so it counts against the test.
    pooledObserved += counts.count { !support.contains($0) }
    if pooledExpected >= 1 {
      let difference = Double(pooledObserved) - pooledExpected
      chiSquare += difference * difference / pooledExpected
      cells += 1
    } else {
      #expect(pooledObserved <= 3, "\(label): \(pooledObserved) draws where about \(pooledExpected) were expected")
    }
    let freedom = Double(cells - 1)
    #expect(chiSquare < freedom + 6 * (2 * freedom).squareRoot(), "\(label): chi-square \(chiSquare) on \(cells - 1) df")
  }

  /// log P(K = k) for K binomial, by the ratio of successive terms from k = 0 (exact to rounding).
  func binomialLogPMF(trials: Int, probability p: Double) -> [Double] {
    var values = [Double(trials) * log1p(-p)]
    for k in 0..<trials { values.append(values[k] + log(Double(trials - k) / Double(k + 1) * p / (1 - p))) }
    return values
  }

  @Test("Poisson counts: mean and variance both the mean, and the Poisson probabilities, by inversion and by rejection")
  func poisson() {
    var stream = stream("poisson")
    for mean in [0.3, 4.0, 29.0, 30.0, 100.0, 2_500.0] {
      let counts = (0..<Self.n).map { _ in stream.poisson(mean: mean) }
      #expect(counts.allSatisfy { $0 >= 0 })
      // Poisson's fourth central moment is mean (1 + 3 mean).
      expectMoments(counts, mean: mean, variance: mean, m4: mean * (1 + 3 * mean), "mean \(mean)")
      var logPMF = [-mean]
      let top = Int(mean + 12 * mean.squareRoot() + 20)
      for k in 0..<top { logPMF.append(logPMF[k] + log(mean / Double(k + 1))) }
      expectDistribution(counts, logPMF: { logPMF[$0] }, support: 0...top, "Poisson(\(mean))")
    }
    // Nothing to draw: 0, and the stream does not move.
    let before = stream
    #expect(stream.poisson(mean: 0) == 0 && stream.poisson(mean: -1) == 0)
    #expect(stream == before)
  }

  /// The four methods: one uniform per trial (under 30 trials), geometric waiting times (n q under 10,
  /// q the smaller of p and 1 - p: the rare events gates measure), and transformed rejection above, for p
  /// at most 1/2 and through the complement above it.
  @Test("Binomial counts: mean n p, variance n p (1 - p) and the binomial probabilities, on every method, never outside 0...n")
  func binomial() {
    var stream = stream("binomial")
    let cases = [
      (20, 0.3), (250, 0.01), (1_000, 0.005), (50, 0.1), (4_000, 0.002), (10_000_000, 2e-7),
      (4_000, 0.01), (750, 0.075), (1_000, 0.4), (100, 0.5), (1_000, 0.7), (40, 0.9), (1_000_000, 0.3),
    ]
    for (trials, p) in cases {
      let counts = (0..<Self.n).map { _ in stream.binomial(trials: trials, probability: p) }
      #expect(counts.allSatisfy { (0...trials).contains($0) })
      let mean = Double(trials) * p
      let variance = mean * (1 - p)
      // Fourth central moment of a binomial: n p q (1 + 3 (n - 2) p q).
      let m4 = variance * (1 + 3 * (Double(trials) - 2) * p * (1 - p))
      expectMoments(counts, mean: mean, variance: variance, m4: m4, "\(trials), \(p)")
      let spread = 12 * variance.squareRoot() + 20
      let support = max(0, Int(mean - spread))...min(trials, Int(mean + spread))
      if trials <= 1_000_000 {
        let logPMF = binomialLogPMF(trials: trials, probability: p)
        expectDistribution(counts, logPMF: { logPMF[$0] }, support: support, "Binomial(\(trials), \(p))")
      }
    }
    let before = stream
    #expect(stream.binomial(trials: 0, probability: 0.5) == 0)
    #expect(stream.binomial(trials: 10, probability: 0) == 0)
    #expect(stream.binomial(trials: 10, probability: 1) == 10)
    #expect(stream == before)
  }

  /// Rare events, where a Poisson stand-in is wrong by far more than the test's resolution (at 50 trials
  /// and p = 0.1, P(0) is 0.52% against Poisson's 0.67%): the waiting-time method gives the binomial's
  /// own probabilities of 0, 1 and 2 successes.
  @Test("Binomial counts for rare events have the binomial's probabilities of few successes, not Poisson's")
  func binomialRareEvents() {
    var stream = stream("binomial-rare")
    for (trials, p) in [(50, 0.1), (200, 0.04), (4_000, 0.002)] {
      let counts = (0..<Self.n).map { _ in stream.binomial(trials: trials, probability: p) }
      let logPMF = binomialLogPMF(trials: trials, probability: p)
      for k in 0...2 {
        let probability = exp(logPMF[k])
        let observed = Double(counts.count { $0 == k }) / Double(Self.n)
        let standardError = (probability * (1 - probability) / Double(Self.n)).squareRoot()
        #expect(abs(observed - probability) < 6 * standardError, "\(trials), \(p): P(\(k)) \(observed) vs \(probability)")
      }
    }
  }

  @Test("Bad weights are refused with a message naming the problem")
  func invalidWeights() {
    let cases: [([Double], String)] = [
      ([], "between 1 and 2^32 weights"),
      ([1, -1], "weight 1 is -1.0"),
      ([1, .nan], "weight 1 is nan"),
      ([.infinity], "weight 0 is inf"),
      ([0, 0], "add up to 0.0"),
      ([.greatestFiniteMagnitude, .greatestFiniteMagnitude], "add up to inf"),
    ]
    for (weights, message) in cases {
      let error = #expect(throws: SimulationError.self) { try WeightedChoice(weights: weights) }
      #expect(error?.code == .invalidWeights)
      #expect(error?.message.contains(message) == true, "\(weights): \(error?.message ?? "")")
    }
  }
}
