import Scenario

extension ReportModel {
  /// Where a staged, guarded release's benefit over big-bang comes from, as a page shows it: from humans to
  /// automation (big-bang to `big-bang-guarded`, the same release at once watched by the guarded plan's
  /// automatic guards), then from automation to staging (`big-bang-guarded` to the best staged policy).
  public struct BenefitSplit: Sendable, Equatable {
    /// Big-bang's failed device-hours (mean over the seeds on a sweep's page): what the shares are of.
    public var bigBangHours: Double
    /// Humans to automation, then automation to staging (absent when the scenario has no staged policy).
    public var steps: [Step]
    /// Over how many seeds (1 on a run's page).
    public var seeds: Int

    public init(bigBangHours: Double, steps: [Step], seeds: Int = 1) {
      self.bigBangHours = bigBangHours
      self.steps = steps
      self.seeds = seeds
    }

    public struct Step: Sendable, Equatable {
      /// `Humans to automation`, `Automation to staging`.
      public var title: String
      public var from: String
      public var to: String
      public var fromHours: Double
      public var toHours: Double
      /// `fromHours - toHours`; on a sweep's page with the 95% interval of the paired savings.
      public var saved: Double
      public var savedLow: Double?
      public var savedHigh: Double?

      public init(
        title: String, from: String, to: String, fromHours: Double, toHours: Double, saved: Double? = nil, savedLow: Double? = nil,
        savedHigh: Double? = nil
      ) {
        self.title = title
        self.from = from
        self.to = to
        self.fromHours = fromHours
        self.toHours = toHours
        self.saved = saved ?? fromHours - toHours
        self.savedLow = savedLow
        self.savedHigh = savedHigh
      }
    }

    static let humansToAutomation = "Humans to automation"
    static let automationToStaging = "Automation to staging"

    /// A run's split: nil unless the run has policies named `big-bang` and `big-bang-guarded`. The best staged
    /// policy is the staged one with the fewest failed device-hours.
    init?(_ policies: [PolicyResult]) {
      guard let bigBang = policies.first(where: { $0.name == Scenario.Sweep.bigBangName }),
        let guarded = policies.first(where: { $0.name == Scenario.Sweep.bigBangGuardedName })
      else { return nil }
      var steps = [
        Step(
          title: Self.humansToAutomation, from: bigBang.name, to: guarded.name, fromHours: bigBang.failedDeviceHours,
          toHours: guarded.failedDeviceHours)
      ]
      if let best = policies.filter({ $0.staged && $0.failedDeviceHours.isFinite }).min(by: { $0.failedDeviceHours < $1.failedDeviceHours }) {
        steps.append(
          Step(
            title: Self.automationToStaging, from: guarded.name, to: best.name, fromHours: guarded.failedDeviceHours,
            toHours: best.failedDeviceHours))
      }
      self.init(bigBangHours: bigBang.failedDeviceHours, steps: steps)
    }

    /// A sweep's split, from its means and paired savings.
    init?(_ split: Scenario.Sweep.BenefitSplit?, seeds: Int) {
      guard let split, let bigBang = split.bigBangHours.mean, let guarded = split.bigBangGuardedHours.mean,
        let saved = split.humansToAutomation.mean
      else { return nil }
      var steps = [
        Step(
          title: Self.humansToAutomation, from: split.bigBang, to: split.bigBangGuarded, fromHours: bigBang, toHours: guarded,
          saved: saved, savedLow: split.humansToAutomation.low, savedHigh: split.humansToAutomation.high)
      ]
      if let best = split.bestStaged, let stagedHours = split.bestStagedHours?.mean, let staging = split.automationToStaging,
        let stagingSaved = staging.mean
      {
        steps.append(
          Step(
            title: Self.automationToStaging, from: split.bigBangGuarded, to: best, fromHours: guarded, toHours: stagedHours,
            saved: stagingSaved, savedLow: staging.low, savedHigh: staging.high))
      }
      self.init(bigBangHours: bigBang, steps: steps, seeds: seeds)
    }
  }

  /// Failed device-hours against when the faults arrived, for a sweep whose arrivals vary from seed to seed:
  /// the seeds binned by arrival (the earliest fault's, when there are several), and per policy the mean of
  /// the seeds in each bin. Where in its life does each policy lose?
  public struct ArrivalHarm: Sendable, Equatable {
    public var bins: [Bin]
    /// Per policy (in the sweep's order), the mean failed device-hours of each bin's seeds.
    public var means: [[Double]]
    /// Per policy, when it reached everyone (its last milestone published): the median over the seeds where
    /// it did, for staged policies; nil for the others.
    public var reachedEveryone: [Double?]

    public init(bins: [Bin], means: [[Double]], reachedEveryone: [Double?]) {
      self.bins = bins
      self.means = means
      self.reachedEveryone = reachedEveryone
    }

    public struct Bin: Sendable, Equatable {
      /// Arrival times, in seconds since the start.
      public var lower: Double
      public var upper: Double
      public var seeds: Int

      public init(lower: Double, upper: Double, seeds: Int) {
        self.lower = lower
        self.upper = upper
        self.seeds = seeds
      }
    }

    /// Nil when every seed met the faults at the same time, or the records do not say when.
    init?(_ summary: Scenario.Sweep.Summary) {
      let arrivals = summary.faultArrivals.map { $0?.min() }
      guard !arrivals.isEmpty, arrivals.allSatisfy({ $0 != nil }) else { return nil }
      let times = arrivals.map { $0! }
      guard let lowest = times.min(), let highest = times.max(), highest > lowest else { return nil }
      let count = min(12, max(2, Int(Double(times.count).squareRoot().rounded(.down))))
      let width = (highest - lowest) / Double(count)
      func bin(_ time: Double) -> Int { min(count - 1, Int((time - lowest) / width)) }
      var members = [[Int]](repeating: [], count: count)
      for (replication, time) in times.enumerated() { members[bin(time)].append(replication) }
      bins = (0..<count).map { Bin(lower: lowest + Double($0) * width, upper: lowest + Double($0 + 1) * width, seeds: members[$0].count) }
      func mean(_ hours: [Double], _ seeds: [Int]) -> Double {
        let values: [Double] = seeds.compactMap { $0 < hours.count ? hours[$0] : nil }
        return values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
      }
      means = summary.policies.map { policy in members.map { mean(policy.failedDeviceHoursPerSeed, $0) } }
      func median(_ policy: Scenario.Sweep.PolicySummary) -> Double? {
        guard policy.staged == true else { return nil }
        let reached: [Double] = policy.reachedEveryonePerSeed.compactMap { $0 }.sorted()
        return reached.isEmpty ? nil : reached[reached.count / 2]
      }
      reachedEveryone = summary.policies.map(median)
    }
  }
}
