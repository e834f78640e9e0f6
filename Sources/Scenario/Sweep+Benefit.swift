import FlagEngine

extension Sweep {
  /// The policy a split starts from: everything at once, humans watching (alerts and on-call).
  public static let bigBangName = "big-bang"
  /// Everything at once, watched by the same automatic guards as the scenario's guarded plan: the policy that
  /// separates what automation does from what staging does.
  public static let bigBangGuardedName = "big-bang-guarded"

  /// Where a staged, guarded release's benefit over big-bang comes from. Big-bang against `big-bang-guarded`
  /// is what automation adds (the same release at once, machines watching instead of humans); that against
  /// the best staged policy (lowest mean failed device-hours) is what staging adds on top. The savings are
  /// paired seed by seed (the policies meet the same fleet, faults and arrival on each seed), with Student's
  /// 95% interval; a negative saving is a step that cost harm.
  public struct BenefitSplit: Sendable, Equatable {
    public var bigBang: String
    public var bigBangGuarded: String
    /// The staged policy with the lowest mean failed device-hours; nil when the scenario has none.
    public var bestStaged: String?
    /// Failed device-hours of each, over the seeds.
    public var bigBangHours: Interval
    public var bigBangGuardedHours: Interval
    public var bestStagedHours: Interval?
    /// Failed device-hours saved per seed: big-bang less big-bang-guarded (humans to automation), and
    /// big-bang-guarded less the best staged policy (automation to staging).
    public var humansToAutomation: Interval
    public var automationToStaging: Interval?

    /// Nil unless the policies include `big-bang` and `big-bang-guarded`, both run on every seed.
    init?(_ policies: [PolicySummary]) {
      guard let bigBang = policies.first(where: { $0.name == Sweep.bigBangName }),
        let guarded = policies.first(where: { $0.name == Sweep.bigBangGuardedName }),
        !bigBang.failedDeviceHoursPerSeed.isEmpty, bigBang.failedDeviceHoursPerSeed.count == guarded.failedDeviceHoursPerSeed.count
      else { return nil }
      self.bigBang = bigBang.name
      bigBangGuarded = guarded.name
      bigBangHours = bigBang.failedDeviceHours
      bigBangGuardedHours = guarded.failedDeviceHours
      humansToAutomation = Interval(zip(bigBang.failedDeviceHoursPerSeed, guarded.failedDeviceHoursPerSeed).map { $0 - $1 })
      let staged = policies.filter {
        $0.staged == true && $0.failedDeviceHoursPerSeed.count == guarded.failedDeviceHoursPerSeed.count && $0.failedDeviceHours.mean != nil
      }
      let best = staged.min { $0.failedDeviceHours.mean! < $1.failedDeviceHours.mean! }
      bestStaged = best?.name
      bestStagedHours = best?.failedDeviceHours
      automationToStaging = best.map { best in
        Interval(zip(guarded.failedDeviceHoursPerSeed, best.failedDeviceHoursPerSeed).map { $0 - $1 })
      }
    }

    var json: JSONValue {
      .object([
        ("bigBang", .string(bigBang)), ("bigBangGuarded", .string(bigBangGuarded)),
        ("bestStaged", bestStaged.map(JSONValue.string) ?? .null),
        ("bigBangFailedDeviceHours", bigBangHours.json), ("bigBangGuardedFailedDeviceHours", bigBangGuardedHours.json),
        ("bestStagedFailedDeviceHours", bestStagedHours?.json ?? .null),
        ("humansToAutomationSaved", humansToAutomation.json), ("automationToStagingSaved", automationToStaging?.json ?? .null),
      ])
    }
  }

  /// Each policy on the seeds where the faults arrived late: only after every staged policy had published
  /// its last milestone (a staged policy that never reached everyone on a seed leaves it out). There the
  /// staged policies have no part of the fleet left to protect, and what is left is how fast each policy
  /// sees the fault and takes it away: the phase in which a policy that compares only with a control
  /// would be blind. A policy whose release starts with the fault (it stages the fault's trigger) can never
  /// meet it late: it is neither waited for nor listed.
  public struct LateArrivals: Sendable, Equatable {
    /// The replications that qualify, in order, and how many the sweep has.
    public var replications: [Int]
    public var of: Int
    /// Whether every fault's harm stops once devices see the flag off (``FaultDefinition/harmEndsWithFlag``):
    /// then a policy that sees the fault sooner must cut the harm, not only the exposure.
    public var harmEndsWithFlag: Bool
    public var policies: [Policy]

    public struct Policy: Sendable, Equatable {
      public var name: String
      public var staged: Bool
      public var guarded: Bool
      /// Failed device-hours over the late seeds.
      public var failedDeviceHours: Interval
    }

    /// Nil without a staged policy, or without the arrivals (records written before they were kept).
    init?(_ policies: [PolicySummary], arrivals: [[Double]?], harmEndsWithFlag: Bool) {
      let policies = policies.filter { $0.startsWithFault != true }
      let staged = policies.filter { $0.staged == true }
      guard !staged.isEmpty, !arrivals.isEmpty, arrivals.allSatisfy({ $0 != nil }) else { return nil }
      of = arrivals.count
      self.harmEndsWithFlag = harmEndsWithFlag
      replications = arrivals.indices.filter { replication in
        guard let arrival = arrivals[replication]?.min() else { return false }
        return staged.allSatisfy { policy in
          replication < policy.reachedEveryonePerSeed.count && (policy.reachedEveryonePerSeed[replication].map { $0 <= arrival } ?? false)
        }
      }
      let chosen = replications
      self.policies = policies.map { policy in
        Policy(
          name: policy.name, staged: policy.staged ?? false, guarded: policy.guarded ?? false,
          failedDeviceHours: Interval(chosen.compactMap { $0 < policy.failedDeviceHoursPerSeed.count ? policy.failedDeviceHoursPerSeed[$0] : nil }))
      }
    }

    var json: JSONValue {
      .object([
        ("seeds", .int(replications.count)), ("of", .int(of)), ("harmEndsWithFlag", .bool(harmEndsWithFlag)),
        ("policies", .array(policies.map { policy in
          .object([
            ("name", .string(policy.name)), ("staged", .bool(policy.staged)), ("guarded", .bool(policy.guarded)),
            ("failedDeviceHours", policy.failedDeviceHours.json),
          ])
        })),
      ])
    }
  }
}
