import FlagEngine
import Simulation
import Telemetry

/// Runs one policy: a deterministic function of the telemetry windows it has seen (and its seed), whose
/// output is decisions that publish new flag states.
///
///     var controller = try ReleaseController(policy: policy, subject: subject, seed: 42)
///     publish(controller.start(at: 0))
///     for window in windows { publish(controller.observe(window)) }
///     controller.finalState
///
/// At each window the controller, in this order: shows the window to every gate; takes the strongest
/// action asked for by a failing gate or a triggered safeguard (kill, then roll back, then pause); else
/// records gates' warnings and, once the milestone's dwell and sample are met, advances (or completes)
/// when every active gate passes and holds while one is inconclusive; reads the on-call alerts; and emits
/// the human responses that fall before the next window is delivered, each at its own time: the page's
/// time plus the drawn response. Every decision carries an audit record; those taken at a window list
/// every active gate's reading, so a reader can replay why the release moved.
///
/// After the last milestone the release keeps being watched: gates compare with a holdout while the plan
/// keeps one, and with each stratum's control before once there is no control left. The controller
/// records, window by window, which of its rules could have seen a regression (``coverage``), and the
/// stretches where none could while devices had the flag (``blindIntervals``).
///
/// Deterministic: the same windows, policy, subject and seed give the same decisions, byte for byte. The
/// only randomness is the on-call response times, drawn from a stream derived from the seed and the
/// policy's name, in the order the pages happen.
public struct ReleaseController: Sendable {
  public let policy: PolicyDefinition
  public let subject: ReleaseSubject
  public let plan: ReleasePlan
  public private(set) var gates: [any Gate]
  var safeguards: [SafeguardRule]
  var alerts: [AlertRule]
  var random: PolicyRandom

  public private(set) var phase: ReleasePhase = .notStarted
  /// The milestone whose state is published: -1 before the start and after a roll back to the base state.
  public private(set) var milestone = -1
  public private(set) var milestoneStart: SimulatedTime = .zero
  /// Treatment sessions reported in windows that began at or after the milestone began.
  public private(set) var milestoneSessions: UInt64 = 0
  /// When holding began to count towards `maxDwell`: the milestone's start, or a human's resume.
  var holdingSince: SimulatedTime = .zero
  /// The time decisions taken now are stamped with: the window's delivery (its end plus the telemetry
  /// pipeline's lag) when the caller says so, else its end. Reasons quote times and durations on this
  /// clock, the one the audit and the report show; the rules keep counting on the windows' clock.
  var shownNow: SimulatedTime = .zero
  /// `milestoneStart` and `holdingSince` as stamped.
  var milestoneShownStart: SimulatedTime = .zero
  var holdingShownSince: SimulatedTime = .zero
  /// The state last published.
  public private(set) var state: ClientFeatures {
    didSet { targeting = Targeting(state: state, subject: subject) }
  }
  /// The strata the state gives the flag whole.
  public private(set) var targeting = Targeting.none
  public private(set) var fixed = false
  var pausedFrom = ReleasePhase.rollingOut
  var pending: [PendingResponse] = []
  var history: [WindowRecord] = []
  let latencyLookback: SimulatedTime?
  var latencyTrimmed = 0
  var runControl = OutcomeCounts()
  var lastWindow: Int?
  /// When the last milestone completed (windows' clock), and whether the holdout was released since.
  var completedAt: SimulatedTime?
  var completedShownAt: SimulatedTime = .zero
  /// When the release started: windows that ended by then had nothing to watch.
  var startedAt: SimulatedTime = .zero
  public private(set) var holdoutReleased = false
  /// The delivery lag of the window being read: the shown clock minus the windows' clock.
  var lag: SimulatedTime = .zero
  /// Per window read since the release started: which rules could have seen a regression.
  public private(set) var coverage: [WindowCoverage] = []

  struct PendingResponse: Sendable {
    enum Origin: Sendable { case pause, alert }
    var origin: Origin
    var due: SimulatedTime
    var decision: HumanDecision
    /// When the page was stamped (the decision that paged): reasons quote it.
    var pagedShown: SimulatedTime
    var rule: RuleReference
  }

  /// A rule asking to stop the release.
  struct Trigger {
    var action: Action
    var rule: RuleReference
    var statistic: Double?
    var statisticName: String?
    var threshold: Double?
    var windows: WindowSpan?
    var reason: String
    /// Unleash's pause safeguards pause a plan's progression: nothing to pause once it completed.
    var onlyWhileRollingOut = false
  }

  public init(policy: PolicyDefinition, subject: ReleaseSubject, seed: UInt64) throws(PolicyError) {
    guard !policy.name.isEmpty else { throw PolicyError(path: "name", "must not be empty") }
    guard subject.cohortNames.count <= Int(UInt16.max) + 1 else {
      throw PolicyError(path: "", "\(subject.cohortNames.count) cohorts: telemetry keys hold at most 65,536")
    }
    self.policy = policy
    self.subject = subject
    plan = try ReleasePlan(policy: policy, subject: subject)
    var gates: [any Gate] = []
    for (i, definition) in policy.gates.enumerated() {
      let gate: any Gate
      do {
        gate = try definition.makeGate(subject: subject)
      } catch {
        throw error.nested(in: "gates[\(i)]")
      }
      if gates.contains(where: { $0.name == gate.name }) {
        throw PolicyError(path: "gates[\(i)].name", "another gate is named '\(gate.name)'; give each gate its own name")
      }
      gates.append(gate)
    }
    self.gates = gates
    if subject.turnsOff {
      // A release that turns the flag off is undone by rolling it back: a kill would turn it off for everyone.
      let refusal = "a release that turns the flag off is stopped by rolling it back (rollBack, with rollBackTo: base); 'kill' would turn the flag off for everyone"
      if let i = gates.firstIndex(where: { $0.onFail == .kill }) { throw PolicyError(path: "gates[\(i)].onFail", refusal) }
      if let i = policy.safeguards.firstIndex(where: { $0.action == .kill }) { throw PolicyError(path: "safeguards[\(i)].action", refusal) }
      // Humans act only when an alert pages them (onAlert) or a rule pauses (onPause).
      if policy.onCall.onAlert == .kill && !policy.alerts.isEmpty { throw PolicyError(path: "onCall.onAlert", refusal) }
      if policy.onCall.onPause == .kill && (!policy.gates.isEmpty || !policy.safeguards.isEmpty) {
        throw PolicyError(path: "onCall.onPause", refusal)
      }
    }
    var safeguards: [SafeguardRule] = []
    for (i, definition) in policy.safeguards.enumerated() {
      do {
        safeguards.append(try definition.makeRule(position: i))
      } catch {
        throw error.nested(in: "safeguards[\(i)]")
      }
    }
    self.safeguards = safeguards
    var alerts: [AlertRule] = []
    for (i, definition) in policy.alerts.enumerated() {
      do {
        alerts.append(try definition.makeRule(position: i))
      } catch {
        throw error.nested(in: "alerts[\(i)]")
      }
    }
    self.alerts = alerts
    random = PolicyRandom(seed: seed, purpose: "rollout/" + policy.name)
    state = subject.baseState
    let lookbacks =
      safeguards.filter { $0.definition.metric.needsLatency }.map(\.definition.timeRange)
      + (alerts.contains { $0.definition.metric.needsLatency } ? [.zero] : [])
    latencyLookback = lookbacks.max()
  }

  /// Where the release stands now (at the end of the run: where it ended).
  public var finalState: FinalState {
    switch phase {
    case .killed: return .killed
    case .rolledBack: return .rolledBack
    case _ where fixed: return .fixed
    case .paused: return .paused
    case .monitoring: return .completed
    case .rollingOut, .notStarted: return .inProgress
    }
  }

  /// Who has the flag now, in words.
  public var exposure: String {
    switch phase {
    case .notStarted: return "nobody (not started)"
    case .killed: return "nobody (killed)"
    default:
      if milestone < 0 { return "as in the base state" }
      if holdoutReleased, let holdout = plan.holdout { return holdout.releasedExposure }
      return plan.milestones[milestone].exposure
    }
  }

  // MARK: Start

  /// The decisions taken at the start: publish the first milestone (everything, for big-bang, which then
  /// completes at once).
  public mutating func start(at time: SimulatedTime) -> [Decision] {
    guard phase == .notStarted else { return [] }
    startedAt = time
    shownNow = time
    return beginFirstMilestone(at: time, reason: "release started", bigBang: "big-bang: everyone at once")
  }

  /// A new generation of a regenerated artifact (a config file made every few minutes, each released on
  /// its own): the plan starts again from its first milestone for it, as `start` does, unless the release
  /// is paused (it waits for the human) or killed (the pipeline is stopped). A plan still rolling out the
  /// previous generation gives it up for the new one; one that rolled the previous one back goes on with
  /// this one. Gates begin the first milestone again; alerts, humans on their way and the before of the
  /// gates' comparisons carry on. `label` names the generation in the audit.
  public mutating func nextArtifact(_ label: String, at time: SimulatedTime) -> [Decision] {
    guard phase == .rollingOut || phase == .monitoring || phase == .rolledBack else { return [] }
    shownNow = max(shownNow, time)
    completedAt = nil
    pending.removeAll { $0.origin == .pause }
    return beginFirstMilestone(at: time, reason: label, bigBang: "\(label): everyone at once")
  }

  /// Publishes the first milestone (everything, for big-bang, which then completes at once), with the
  /// audit's `reason` for it; shared by a release's start and each new generation of an artifact.
  private mutating func beginFirstMilestone(at time: SimulatedTime, reason: String, bigBang: String) -> [Decision] {
    phase = .rollingOut
    milestone = 0
    milestoneStart = time
    holdingSince = time
    milestoneShownStart = time
    holdingShownSince = time
    milestoneSessions = 0
    state = plan.milestones[0].state
    for i in gates.indices { gates[i].beginMilestone(0, at: time) }
    var decisions = [
      Decision(
        time: time, action: .advance, state: state,
        audit: audit(
          time, .advance, milestone: plan.reference(-1), target: plan.reference(0), rule: planRule,
          reason: "\(reason): milestone '\(plan.milestones[0].name)' publishes \(plan.milestones[0].exposure)"))
    ]
    if policy.kind == .bigBang {
      phase = .monitoring
      completedAt = time
      completedShownAt = time
      decisions.append(
        Decision(
          time: time, action: .complete, state: nil,
          audit: audit(time, .complete, milestone: plan.reference(0), rule: planRule, reason: bigBang)))
    }
    return decisions
  }

  /// A generation of a regenerated artifact failed its check before release: it is not released, and the
  /// audit says so (a warning: the check saw something wrong).
  public mutating func rejectArtifact(_ label: String, at time: SimulatedTime) -> [Decision] {
    guard phase != .notStarted, phase != .killed else { return [] }
    return [
      Decision(
        time: time, action: .warn, state: nil,
        audit: audit(
          time, .warn, milestone: plan.reference(milestone), rule: RuleReference(name: "validate", kind: "check"),
          reason: "\(label) failed its check before release: not released"))
    ]
  }

  // MARK: Windows

  /// Reads the window that just ended. Returns the decisions taken now (at `window.end`) and the human
  /// responses that take effect before the next window ends (at their own time).
  ///
  /// `deliveredAt`, when the window reaches the controller after its end (a telemetry pipeline's lag),
  /// stamps the decisions: none is earlier than the delivery, and their reasons quote times on that
  /// clock. The rules still read the windows on theirs, so the decisions themselves do not change.
  public mutating func observe(_ window: TelemetryWindow, deliveredAt: SimulatedTime? = nil) -> [Decision] {
    observe(TelemetryRead(window), deliveredAt: deliveredAt)
  }

  /// Reads what the pipeline delivered at one read: the window the watermark has just passed and the late
  /// pieces of earlier windows that arrived since the last read. Gates that test treatment against control
  /// take the late pieces as terms of their own window (never counted twice: each arrives in one read);
  /// threshold gates, guards, safeguards, alerts and humans read what arrived since the last read, as a
  /// dashboard shows it.
  public mutating func observe(_ read: TelemetryRead, deliveredAt: SimulatedTime? = nil) -> [Decision] {
    let window = read.window
    shownNow = max(deliveredAt ?? window.end, window.end)
    lag = shownNow - window.end
    return decide(read).map { decision in
      var decision = decision
      if decision.time < shownNow {
        decision.time = shownNow
        decision.audit.time = shownNow
      }
      return decision
    }
  }

  mutating func decide(_ read: TelemetryRead) -> [Decision] {
    let window = read.window
    if let lastWindow { precondition(window.index > lastWindow, "windows must arrive in order") }
    lastWindow = window.index
    let now = window.end
    let samples = ArmSamples(read.merged(), latency: latencyLookback != nil)
    runControl += samples.control.counts
    history.append(WindowRecord(span: WindowSpan(window), samples: samples))
    trimLatency(now: now)
    if phase == .rollingOut || phase == .paused {
      for piece in read.pieces where piece.start >= milestoneStart {
        milestoneSessions += piece.counts(treatment: true).sessions
      }
    }

    let context = GateContext(
      phase: phase, milestone: max(milestone, 0), milestoneStart: milestoneStart, milestoneCount: plan.milestones.count,
      targeting: targeting)
    var evaluations: [(gate: Int, evaluation: GateEvaluation)] = []
    for i in gates.indices {
      if let evaluation = gates[i].observe(read, context: context) { evaluations.append((i, evaluation)) }
    }
    guard phase != .notStarted, phase != .killed else { return [] }
    let watched = WatchedPhase(label: phaseLabel, exposed: milestone >= 0 && window.end > startedAt)
    var watchingRules: [String] = []
    let readings = evaluations.map { GateReading(rule: reference(gate: $0.gate), $0.evaluation) }
    var decisions: [Decision] = []

    // Rules that stop the release: the strongest wins, the first of equals.
    var triggers: [Trigger] = []
    for (i, evaluation) in evaluations where evaluation.verdict == .fail || evaluation.verdict == .pause {
      triggers.append(
        Trigger(
          action: evaluation.verdict == .pause ? .pause : gates[i].onFail, rule: reference(gate: i), statistic: evaluation.statistic,
          statisticName: evaluation.statisticName, threshold: evaluation.threshold, windows: evaluation.windows,
          reason: "gate '\(gates[i].name)' \(evaluation.verdict == .pause ? "paused" : "failed"): \(evaluation.detail)"))
    }
    for safeguard in safeguards {
      let result = safeguard.evaluate(history[...], now: now)
      if result.value != nil, canAct(safeguard.definition.action, onlyWhileRollingOut: safeguard.definition.action == .pause) {
        watchingRules.append(safeguard.name)
      }
      guard result.triggered else { continue }
      triggers.append(
        Trigger(
          action: safeguard.definition.action, rule: safeguard.reference, statistic: result.value,
          statisticName: safeguard.definition.metric.rawValue, threshold: safeguard.definition.threshold, windows: result.span,
          reason: "safeguard '\(safeguard.name)' triggered: \(result.detail)", onlyWhileRollingOut: safeguard.definition.action == .pause))
    }
    let gateBases = evaluations.map { gate, evaluation -> (Int, EvidenceBasis?) in
      (gate, canAct(gates[gate].onFail, onlyWhileRollingOut: false) ? evaluation.basis : nil)
    }
    var strongest: Trigger?
    for trigger in triggers where applies(trigger) && trigger.action.severity > (strongest?.action.severity ?? 0) {
      strongest = trigger
    }
    if let strongest {
      decisions.append(apply(strongest, at: now, readings: readings))
    } else {
      if phase != .rolledBack {
        for (i, evaluation) in evaluations {
          guard let warning = evaluation.warning else { continue }
          decisions.append(
            Decision(
              time: now, action: .warn, state: nil,
              audit: audit(
                now, .warn, milestone: plan.reference(milestone), rule: reference(gate: i), statistic: evaluation.statistic,
                statisticName: evaluation.statisticName, threshold: evaluation.threshold, windows: evaluation.windows,
                reason: "gate '\(gates[i].name)': \(warning)", evaluations: readings)))
        }
      }
      if phase == .rollingOut, let decision = milestoneBoundary(now: now, evaluations: evaluations, readings: readings) {
        decisions.append(decision)
      }
    }

    if phase == .monitoring, let decision = releaseHoldout(now: now, readings: readings) { decisions.append(decision) }

    // On-call alerts: detection, then a human.
    if phase != .killed {
      for i in alerts.indices {
        let firing = alerts[i].observe(history[history.count - 1])
        if alerts[i].readable { watchingRules.append(alerts[i].name) }
        guard let firing else { continue }
        let rule = alerts[i].reference
        var reason = "alert '\(alerts[i].name)' fired: \(firing.detail)"
        if !pending.contains(where: { $0.origin == .alert }) {
          let response = page(origin: .alert, decision: policy.onCall.onAlert, at: now, rule: rule)
          reason += "; on-call paged, to \(response.decision.task)"
        }
        decisions.append(
          Decision(
            time: now, action: .alert, state: nil,
            audit: audit(
              now, .alert, milestone: plan.reference(milestone), rule: rule, statistic: firing.value,
              statisticName: alerts[i].definition.metric.rawValue, threshold: alerts[i].definition.condition.threshold,
              windows: firing.span, reason: reason, evaluations: readings)))
      }
    }

    var bases = [EvidenceBasis?](repeating: nil, count: gates.count)
    for (gate, basis) in gateBases { bases[gate] = basis }
    coverage.append(
      WindowCoverage(
        window: window.index, start: window.start, end: window.end, exposed: watched.exposed, phase: watched.label, gates: bases,
        others: watchingRules))
    decisions += respond(after: window)
    return decisions
  }

  // MARK: Milestones

  var planRule: RuleReference {
    switch policy.kind {
    case .bigBang: return RuleReference(name: "big-bang", kind: "plan")
    case .timeRamp: return RuleReference(name: "proceed after \(policy.interval)", kind: "plan")
    case .releasePlan: return RuleReference(name: "minDwell and minSample", kind: "plan")
    case .stagedPush: return RuleReference(name: "bake and minSample", kind: "plan")
    }
  }

  mutating func milestoneBoundary(now: SimulatedTime, evaluations: [(gate: Int, evaluation: GateEvaluation)], readings: [GateReading]) -> Decision? {
    let current = plan.milestones[milestone]
    let elapsed = now - milestoneStart
    guard elapsed >= current.minDwell, milestoneSessions >= current.minSample else { return nil }
    let minimums =
      "\(ReadableText.duration(shownNow - milestoneShownStart)) at '\(current.name)' (minimum \(ReadableText.duration(current.minDwell))), "
      + "\(ReadableText.count(milestoneSessions)) treatment sessions (minimum \(ReadableText.count(current.minSample)))"
    let span = windowsSince(milestoneStart)
    let sessions = Double(milestoneSessions)
    let waiting = evaluations.filter { $0.evaluation.verdict == .inconclusive }
    if waiting.isEmpty {
      let gatesText = evaluations.isEmpty ? "" : "; gates passed: \(evaluations.map { gates[$0.gate].name }.joined(separator: ", "))"
      if milestone + 1 < plan.milestones.count {
        let from = milestone
        milestone += 1
        milestoneStart = now
        holdingSince = now
        milestoneShownStart = shownNow
        holdingShownSince = shownNow
        milestoneSessions = 0
        state = plan.milestones[milestone].state
        for i in gates.indices { gates[i].beginMilestone(milestone, at: now) }
        return Decision(
          time: now, action: .advance, state: state,
          audit: audit(
            now, .advance, milestone: plan.reference(from), target: plan.reference(milestone), rule: planRule,
            statistic: sessions, statisticName: "treatment sessions", threshold: Double(current.minSample),
            windows: span, reason: "\(minimums)\(gatesText); now \(plan.milestones[milestone].exposure)", evaluations: readings))
      }
      phase = .monitoring
      completedAt = now
      completedShownAt = shownNow
      return Decision(
        time: now, action: .complete, state: nil,
        audit: audit(
          now, .complete, milestone: plan.reference(milestone), rule: planRule, statistic: sessions,
          statisticName: "treatment sessions", threshold: Double(current.minSample), windows: span,
          reason: "\(minimums)\(gatesText); the release is complete", evaluations: readings))
    }
    let names = waiting.map { gates[$0.gate].name }.joined(separator: ", ")
    if let maxDwell = current.maxDwell, now - holdingSince >= maxDwell {
      let held = now - holdingSince
      let trigger = Trigger(
        action: .pause, rule: RuleReference(name: "maxDwell", kind: "plan"), statistic: held.seconds, statisticName: "seconds held",
        threshold: maxDwell.seconds, windows: span,
        reason:
          "held \(ReadableText.duration(shownNow - holdingShownSince)) at '\(current.name)'\(holdingSince == milestoneStart ? "" : " since the last resume") (maxDwell \(ReadableText.duration(maxDwell))) waiting on \(names)")
      return apply(trigger, at: now, readings: readings)
    }
    let first = waiting[0]
    return Decision(
      time: now, action: .hold, state: nil,
      audit: audit(
        now, .hold, milestone: plan.reference(milestone), rule: reference(gate: first.gate), statistic: first.evaluation.statistic,
        statisticName: first.evaluation.statisticName, threshold: first.evaluation.threshold, windows: first.evaluation.windows,
        reason: "\(minimums); holding: inconclusive \(names): \(first.evaluation.detail)", evaluations: readings))
  }

  /// Releases the holdout `bake` after the last milestone completed: publishes the last milestone's state
  /// without it.
  mutating func releaseHoldout(now: SimulatedTime, readings: [GateReading]) -> Decision? {
    guard let holdout = plan.holdout, !holdoutReleased, let completedAt, now - completedAt >= holdout.bake else { return nil }
    holdoutReleased = true
    state = holdout.released
    return Decision(
      time: now, action: .advance, state: state,
      audit: audit(
        now, .advance, milestone: plan.reference(milestone), target: MilestoneReference(index: plan.milestones.count, name: "holdout released"),
        rule: RuleReference(name: "holdout bake", kind: "plan"), statistic: (now - completedAt).seconds,
        statisticName: "seconds since the last milestone", threshold: holdout.bake.seconds, windows: windowsSince(completedAt),
        reason:
          "the \(holdout.percent)% holdout kept off for \(ReadableText.duration(shownNow - completedShownAt)) after the last milestone "
          + "(bake \(ReadableText.duration(holdout.bake))): released; now \(holdout.releasedExposure)",
        evaluations: readings))
  }

  // MARK: Coverage

  /// Where the release stands, for coverage: `milestone '10%'`, `after the last milestone`.
  var phaseLabel: String {
    let name = milestone >= 0 ? plan.milestones[milestone].name : "base"
    switch phase {
    case .notStarted: return "before the release"
    case .rollingOut: return "milestone '\(name)'"
    case .paused: return "milestone '\(name)' (paused)"
    case .monitoring:
      if let holdout = plan.holdout, !holdoutReleased { return "after the last milestone, \(holdout.percent)% holdout kept off" }
      return "after the last milestone"
    case .rolledBack: return "rolled back to '\(name)'"
    case .killed: return "killed"
    }
  }

  struct WatchedPhase {
    var label: String
    var exposed: Bool
  }

  /// The stretches of the run in which the flag was on for some devices and none of the policy's rules could
  /// have seen a regression, consecutive windows of one phase merged (windows' clock).
  public var blindIntervals: [BlindInterval] {
    var intervals: [BlindInterval] = []
    for window in coverage where window.blind {
      if let last = intervals.last, last.phase == window.phase, last.end == window.start {
        intervals[intervals.count - 1].end = window.end
      } else {
        intervals.append(BlindInterval(phase: window.phase, start: window.start, end: window.end))
      }
    }
    return intervals
  }

  // MARK: Actions

  func applies(_ trigger: Trigger) -> Bool { canAct(trigger.action, onlyWhileRollingOut: trigger.onlyWhileRollingOut) }

  /// Whether a rule asking for `action` could act in the current phase.
  func canAct(_ action: Action, onlyWhileRollingOut: Bool) -> Bool {
    switch action {
    case .kill: return phase != .killed
    case .rollBack: return phase == .rollingOut || phase == .paused || phase == .monitoring
    case .pause: return phase == .rollingOut || (phase == .monitoring && !onlyWhileRollingOut)
    default: return false
    }
  }

  mutating func apply(_ trigger: Trigger, at now: SimulatedTime, readings: [GateReading]) -> Decision {
    let from = plan.reference(milestone)
    var reason = trigger.reason
    switch trigger.action {
    case .kill:
      state = plan.killed(state)
      phase = .killed
      pending.removeAll()
      return Decision(
        time: now, action: .kill, state: state,
        audit: audit(
          now, .kill, milestone: from, rule: trigger.rule, statistic: trigger.statistic, statisticName: trigger.statisticName,
          threshold: trigger.threshold, windows: trigger.windows, reason: reason + "; kill switch: flag off for everyone", evaluations: readings))
    case .rollBack:
      let (rolledBack, target) = plan.rolledBack(from: milestone, to: policy.rollBackTo)
      state = rolledBack
      milestone = target
      phase = .rolledBack
      pending.removeAll { $0.origin == .pause }
      return Decision(
        time: now, action: .rollBack, state: state,
        audit: audit(
          now, .rollBack, milestone: from, target: plan.reference(target), rule: trigger.rule, statistic: trigger.statistic,
          statisticName: trigger.statisticName, threshold: trigger.threshold, windows: trigger.windows,
          reason: reason + "; rolled back to \(target < 0 ? "the base state" : "'\(plan.milestones[target].name)'")", evaluations: readings))
    default:
      pausedFrom = phase
      phase = .paused
      let response = page(origin: .pause, decision: policy.onCall.onPause, at: now, rule: trigger.rule)
      reason += "; paused, on-call paged, to \(response.decision.task)"
      return Decision(
        time: now, action: .pause, state: nil,
        audit: audit(
          now, .pause, milestone: from, rule: trigger.rule, statistic: trigger.statistic, statisticName: trigger.statisticName,
          threshold: trigger.threshold, windows: trigger.windows, reason: reason, evaluations: readings))
    }
  }

  // MARK: Humans

  /// Pages on-call when the decision that pages is stamped (the window's delivery); the response comes a
  /// drawn time later, on the same clock.
  mutating func page(origin: PendingResponse.Origin, decision: HumanDecision, at now: SimulatedTime, rule: RuleReference) -> PendingResponse {
    let response = policy.onCall.responseTime.draw(using: &random)
    let fix = decision == .fix ? policy.onCall.fixTime.draw(using: &random) : nil
    let paged = max(now, shownNow)
    let pendingResponse = PendingResponse(
      origin: origin, due: paged + response + (fix ?? .zero), decision: decision, pagedShown: paged, rule: rule)
    pending.append(pendingResponse)
    return pendingResponse
  }

  /// The responses due before the next window is delivered (one window after this one): decided on the
  /// windows delivered so far, each taking effect at its own time, the page plus the response, so that
  /// nothing waits for a delivery. `due` and the decisions' times are on the shown clock; the rules'
  /// own times (`holdingSince`) are on the windows' clock, `lag` earlier.
  mutating func respond(after window: TelemetryWindow) -> [Decision] {
    var decisions: [Decision] = []
    while let index = pending.indices.min(by: { pending[$0].due < pending[$1].due }), pending[index].due < shownNow + window.duration {
      let response = pending.remove(at: index)
      guard phase != .killed else { continue }
      if response.origin == .pause, phase != .paused { continue }
      let time = max(response.due, shownNow)
      let later = ReadableText.duration(time - response.pagedShown)
      let human = RuleReference(name: "on-call", kind: "human")
      let paged =
        "on-call, paged at \(ReadableText.clock(response.pagedShown)) by \(response.rule.kind) '\(response.rule.name)', "
        + (response.decision == .fix ? "shipped a fix \(later) later" : "responded \(later) later")
      let since = min(milestoneStart, window.end - .hours(1))
      var evidence = ArmSamples()
      for record in history where record.span.start >= since { evidence.add(record.samples) }
      let span = windowsSince(since)
      var action: Action
      var statistic: Double?
      var detail: String
      switch response.decision {
      case .judge:
        (action, statistic, detail) = HumanResponse.judge(evidence, runControl: runControl)
      case .resume: (action, statistic, detail) = (.resume, nil, "resumed as the policy says")
      case .rollBack: (action, statistic, detail) = (.rollBack, nil, "rolled back as the policy says")
      case .kill: (action, statistic, detail) = (.kill, nil, "turned the kill switch as the policy says")
      case .fix: (action, statistic, detail) = (.fix, nil, "the fix takes the fault away")
      }
      if action == .resume && phase != .paused { action = .acknowledge }
      if action == .rollBack && !(phase == .rollingOut || phase == .paused || phase == .monitoring) { action = .acknowledge }
      let reason = "\(paged): \(detail)"
      switch action {
      case .kill, .rollBack:
        let trigger = Trigger(
          action: action, rule: human, statistic: statistic, statisticName: statistic == nil ? nil : "z", threshold: statistic == nil ? nil : 1.645,
          windows: span, reason: reason)
        var decision = apply(trigger, at: time, readings: [])
        decision.audit.time = time
        decisions.append(decision)
      case .resume:
        phase = pausedFrom
        holdingSince = time - lag
        holdingShownSince = time
        for i in gates.indices { gates[i].resume(at: time) }
        decisions.append(
          Decision(
            time: time, action: .resume, state: nil,
            audit: audit(
              time, .resume, milestone: plan.reference(milestone), rule: human, statistic: statistic, statisticName: statistic == nil ? nil : "z",
              threshold: statistic == nil ? nil : 1.645, windows: span, reason: reason)))
      case .fix:
        fixed = true
        decisions.append(
          Decision(
            time: time, action: .fix, state: nil,
            audit: audit(time, .fix, milestone: plan.reference(milestone), rule: human, windows: span, reason: reason)))
      default:
        decisions.append(
          Decision(
            time: time, action: .acknowledge, state: nil,
            audit: audit(
              time, .acknowledge, milestone: plan.reference(milestone), rule: human, statistic: statistic,
              statisticName: statistic == nil ? nil : "z", threshold: statistic == nil ? nil : 1.645, windows: span,
              reason: reason + "; nothing left to do")))
      }
    }
    return decisions
  }

  // MARK: Support

  func reference(gate index: Int) -> RuleReference {
    RuleReference(name: gates[index].name, kind: gates[index].kind.rawValue)
  }

  func windowsSince(_ time: SimulatedTime) -> WindowSpan? {
    var span: WindowSpan?
    for record in history.reversed() {
      guard record.span.start >= time else { break }
      span = span.map { WindowSpan(first: record.span.first, last: $0.last, start: record.span.start, end: $0.end) } ?? record.span
    }
    return span
  }

  /// Latency histograms are kept only as long as a rule reads them.
  mutating func trimLatency(now: SimulatedTime) {
    guard let lookback = latencyLookback else { return }
    while latencyTrimmed < history.count, history[latencyTrimmed].span.end < now - lookback {
      history[latencyTrimmed].samples.treatment.latency = nil
      history[latencyTrimmed].samples.control.latency = nil
      latencyTrimmed += 1
    }
  }

  func audit(
    _ time: SimulatedTime, _ action: Action, milestone: MilestoneReference?, target: MilestoneReference? = nil, rule: RuleReference? = nil,
    statistic: Double? = nil, statisticName: String? = nil, threshold: Double? = nil, windows: WindowSpan? = nil, reason: String,
    evaluations: [GateReading] = []
  ) -> AuditRecord {
    AuditRecord(
      time: time, policy: policy.name, action: action, milestone: milestone, target: target, rule: rule, statistic: statistic,
      statisticName: statisticName, threshold: threshold, windows: windows, reason: reason, evaluations: evaluations)
  }
}

/// The windows the controller keeps for rules that read a time range.
struct WindowRecord: Sendable {
  var span: WindowSpan
  var samples: ArmSamples
}
