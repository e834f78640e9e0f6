import ArgumentParser
import Dispatch
import Foundation
import Rollout
import Scenario
import Simulation

struct GatesBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "gates",
    abstract: "Measure each gate over whole releases: false rollbacks of healthy ones, detection of degraded ones.",
    discussion: """
      Each gate runs alone in a standard seven-milestone plan (cohorts, regions, percentages, two days) \
      on a synthetic fleet whose cohorts have error rates of their own and whose regions drift apart day \
      by day (noise 0.1): --releases healthy releases per gate give its whole-release false-rollback \
      rate, and --degraded releases at 1.5x, 2x and 5x the error rate its detection delay and exposure. \
      Prints the Markdown of results/gates.md (rollsim bench gates > results/gates.md). Deterministic: \
      the same options and build print the same bytes, whatever the machine.
      """
  )

  @Option(parsing: .unconditional, help: "Healthy releases per gate (1...100000).", transform: ArgumentRange.whole(1...100_000))
  var releases = 2_000
  @Option(parsing: .unconditional, help: "Degraded releases per gate and degradation (1...100000).", transform: ArgumentRange.whole(1...100_000))
  var degraded = 500
  @Option(
    parsing: .unconditional, help: "First seed (0...1000000000000); the releases use seeds from it on.",
    transform: ArgumentRange.whole(0...1_000_000_000_000))
  var seed: UInt64 = 0
  @Flag(help: "No progress on stderr.") var quiet = false

  static let degradations = [1.5, 2, 5]

  func run() throws {
    let subjects = GateCalibration.subjects
    // One job per gate and degradation (1 = healthy), run side by side; each has its own seeds, so the
    // figures do not depend on the order the jobs finish in.
    let jobs = subjects.indices.flatMap { gate in ([1.0] + Self.degradations).map { (gate, $0) } }
    let progress = ProgressLine(enabled: !quiet)
    let slots = ResultSlots<Result<GateCalibration.Trial, PolicyError>>(count: jobs.count)
    let finished = Counter()
    let firstSeed = seed
    let healthy = UInt64(releases)
    let faulty = UInt64(degraded)
    DispatchQueue.concurrentPerform(iterations: min(jobs.count, ProcessInfo.processInfo.activeProcessorCount)) { _ in
      while let index = slots.claim() {
        let (gate, degradation) = jobs[index]
        var memberships = MembershipTable()
        let start = degradation == 1 ? firstSeed : firstSeed + 1_000_000 * UInt64(degradation * 10)
        let count = degradation == 1 ? healthy : faulty
        let trial = Result { () throws(PolicyError) -> GateCalibration.Trial in
          try GateCalibration.trial(subjects[gate].gate, degradation: degradation, seeds: start..<start + count, memberships: &memberships)
        }
        slots.store(index, trial)
        progress.show("gates: \(finished.increment())/\(jobs.count) measured")
      }
    }
    progress.clear()
    var trials: [[Double: GateCalibration.Trial]] = subjects.map { _ in [:] }
    for (index, job) in jobs.enumerated() {
      switch slots.values[index] {
      case .success(let trial): trials[job.0][job.1] = trial
      case .failure(let error): throw ValidationError("gate \(subjects[job.0].label): \(error)")
      }
    }
    print(markdown(subjects: subjects, trials: trials), terminator: "")
  }

  // MARK: Markdown

  func markdown(subjects: [GateCalibration.Subject], trials: [[Double: GateCalibration.Trial]]) -> String {
    let fleet = GateCalibration.fleet
    var out = """
      # Gates over whole releases

      Made by `rollsim bench gates --releases \(releases) --degraded \(degraded)\(seed == 0 ? "" : " --seed \(seed)")` \
      (Rollsim \(RollsimVersion.number)); the same build prints the same bytes on any machine. \
      `swift test --filter GateCalibrationTests` holds the statistical gates to their budgets on 500 \
      releases each.

      ## The release

      Each gate alone in one plan, on a synthetic fleet (`GateCalibration` in `Sources/Rollout`):

      - \(fleet.cohorts.map { "\($0.name): \(count($0.devices)) devices, \(percent($0.errorRate)) errors" }.joined(separator: "; ")); \
      one session per device per \(ReadableText.duration(fleet.window)) window.
      - regions \(fleet.regions.joined(separator: ", ")), every cohort spread evenly over them; each region's error \
      rate drifts day by day by a log-normal factor of sigma \(fleet.noise) (Fleet's `baseline.noise`), cohorts \
      sharing their region's drift.
      - \(ReadableText.duration(GateCalibration.preRelease)) of telemetry before the release, \
      then the milestones \(GateCalibration.milestones.map(milestoneText).joined(separator: ", ")) \
      (cumulative), then watched until \
      \(ReadableText.duration(GateCalibration.preRelease + GateCalibration.duration)) \
      from the start.
      - healthy: the flag changes nothing; degraded: the treatment's error rate is \
      \(Self.degradations.map { "\(ReadableText.number($0))x" }.joined(separator: ", ")) what it would be, from the start.
      - a false rollback is any pause, roll back or kill of a healthy release, at any time in the run; the delay \
      runs from the release's start to the stop; the exposure is device-hours with the flag on before the stop \
      (or the end of the run), the failed exposure of a degraded release.

      Gates (the statistical ones at their defaults; the fixed thresholds as one might set them for a 1% error rate):

      | gate | definition | budget |
      | --- | --- | --- |

      """
    for subject in subjects {
      out += "| \(subject.label) | `\(definitionText(subject.gate))` | \(subject.budgetText) |\n"
    }
    out += """

      The budget of the anytime-valid test and the SPRT is their `alpha`, spent over the whole release; \
      a CUSUM's is `T / arl0` for the `T` it watched (Lorden's bound, `T` the longest time it was active in \
      a run); fixed thresholds have none.

      ## False rollbacks and detection

      | gate | budget | false rollbacks (95% interval) | within budget | \
      \(Self.degradations.map { "\(ReadableText.number($0))x: detected, delay median (p95), exposure median" }.joined(separator: " | ")) |
      | --- | --- | --- | --- | \(Self.degradations.map { _ in "---" }.joined(separator: " | ")) |

      """
    for (index, subject) in subjects.enumerated() {
      let healthy = trials[index][1]!
      let budget = GateCalibration.budget(subject.gate, activeSeconds: healthy.longestActiveSeconds)
      let (low, high) = healthy.interval
      var cells = [
        subject.label, budget.map { ReadableText.number($0) } ?? "none",
        "\(count(healthy.stopped))/\(count(healthy.releases)) = \(percent(healthy.rate)) (\(percent(low)) to \(percent(high)))",
        budget.map { healthy.rate <= $0 + 2 * healthy.standardError ? "yes" : "**no**" } ?? "-",
      ]
      for degradation in Self.degradations {
        let trial = trials[index][degradation]!
        let median = GateCalibration.Trial.quantile(trial.delays, 0.5)
        let p95 = GateCalibration.Trial.quantile(trial.delays, 0.95)
        let delay = median.map { "\(ReadableText.duration(seconds: $0)) (\(ReadableText.duration(seconds: p95!)))" } ?? "-"
        let exposure = GateCalibration.Trial.quantile(trial.exposure, 0.5).map { count(Int($0.rounded())) } ?? "-"
        cells.append("\(percent(trial.rate)), \(delay), \(exposure)")
      }
      out += "| " + cells.joined(separator: " | ") + " |\n"
    }
    out += """

      "within budget": the rate is at most the budget plus two standard errors, the test's criterion. \
      Exposures are device-hours; a release the gate never stopped counts its whole run.

      """
    return out
  }

  func milestoneText(_ m: MilestoneDefinition) -> String {
    let audience = (m.cohorts ?? []) + (m.regions ?? [])
    let name = audience.isEmpty ? "\(m.rollout ?? 100)%" : audience.joined(separator: "+")
    return "\(name) (\(ReadableText.duration(m.minDwell)))"
  }

  func definitionText(_ gate: GateDefinition) -> String {
    var fields = ["kind: \(gate.kind.rawValue)"]
    if let metric = gate.metric { fields.append("metric: \(metric.rawValue)") }
    if let semantics = gate.semantics { fields.append("semantics: \(semantics.rawValue)") }
    if let compare = gate.compare { fields.append("compare: \(compare.rawValue)") }
    if let failure = gate.failure { fields.append("failure: \"\(failure)\"") }
    if let range = gate.thresholdRange?.max { fields.append("thresholdRange: {max: \(ReadableText.number(range))}") }
    if let interval = gate.interval { fields.append("interval: \(interval)") }
    if let checks = gate.maxFailedChecks { fields.append("maxFailedChecks: \(checks)") }
    if let threshold = gate.threshold { fields.append("threshold: \(ReadableText.number(threshold))") }
    if let windows = gate.windows { fields.append("windows: \(windows)") }
    if let stratify = gate.stratify { fields.append("stratify: \(stratify)") }
    return "{" + fields.joined(separator: ", ") + "}"
  }

  func count(_ value: Int) -> String { ReadableText.count(value) }
  func percent(_ value: Double) -> String { ReadableText.percent(value) }
}

/// A count shared by workers, for the progress line.
final class Counter: @unchecked Sendable {
  private let lock = NSLock()
  private var value = 0

  func increment() -> Int {
    lock.lock()
    defer { lock.unlock() }
    value += 1
    return value
  }
}
