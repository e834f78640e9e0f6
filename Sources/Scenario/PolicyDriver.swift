import FlagEngine
import Fleet
import Rollout
import Simulation
import Telemetry

/// Wires a policy's controller into a fleet run: reads of telemetry go in, decisions come out, and each decision
/// that changes the flag becomes a publication.
struct PolicyDriver: ReleaseDriver {
  var controller: ReleaseController
  let policy: String
  /// When the release starts (the scenario's `release.at`).
  let releaseAt: SimulatedTime
  private(set) var decisions: [Decision] = []
  private var started = false
  /// Set in a release of a regenerated artifact (`release.every`).
  private var pipeline: ArtifactPipeline?

  init(controller: ReleaseController, policy: String, releaseAt: SimulatedTime, pipeline: ArtifactPipeline? = nil) {
    self.controller = controller
    self.policy = policy
    self.releaseAt = releaseAt
    self.pipeline = pipeline
  }

  mutating func start() -> [Publication] {
    guard releaseAt == .zero else { return [] }
    started = true
    pipeline?.begin(at: .zero)
    return take(controller.start(at: .zero), deliveredAt: .zero)
  }

  /// A new generation of the artifact: checked first when the policy validates, then released through the
  /// plan from its first milestone (unless the release is paused or killed). The generation the plan had
  /// becomes the one every device without the flag holds once it had reached everyone and was not rolled back.
  mutating func artifact(_ generation: Int, at time: SimulatedTime) -> [Publication] {
    guard started, var pipeline else { return [] }
    let made = ReadableText.clock(time)
    if pipeline.validate && pipeline.rejected(generation) {
      decisions += controller.rejectArtifact("artifact \(generation) (made at \(made))", at: time)
      return []
    }
    let next = controller.nextArtifact("artifact \(generation) (made at \(made))", at: time)
    guard !next.isEmpty else { return [] }
    pipeline.advance(to: generation)
    self.pipeline = pipeline
    return take(next, deliveredAt: time)
  }

  mutating func deliver(_ read: TelemetryRead, at time: SimulatedTime) -> [Publication] {
    // Windows before the release only tell the controller about the healthy fleet (the before of its
    // gates' before/after comparisons); the release starts at the first delivery at or after `release.at`.
    var publications: [Publication] = []
    if !started && time >= releaseAt {
      started = true
      pipeline?.begin(at: time)
      publications += take(controller.start(at: time), deliveredAt: time)
    }
    return publications + take(controller.observe(read, deliveredAt: time), deliveredAt: time)
  }

  /// Decisions are taken when a window is delivered (its end plus the pipeline's lag), not at its end:
  /// the controller stamps them so (and its reasons quote that clock); this keeps it true of every
  /// decision.
  private mutating func take(_ new: [Decision], deliveredAt delivery: SimulatedTime) -> [Publication] {
    let new = new.map { decision in
      var decision = decision
      if decision.time < delivery {
        decision.time = delivery
        decision.audit.time = delivery
      }
      return decision
    }
    decisions.append(contentsOf: new)
    let last = controller.plan.milestones.count - 1
    return new.compactMap { decision in
      let time = decision.time
      if decision.action == .fix { return .fix(at: time) }
      guard let state = decision.state else { return nil }
      let artifact = pipeline?.publishes(decision, lastMilestone: last)
      return Publication(time: time, state: FlagState(state), label: label(decision), artifact: artifact)
    }
  }

  /// A publication's label: the action and, when there is one, the milestone it lands on.
  private func label(_ decision: Decision) -> String {
    switch decision.action {
    case .advance, .complete, .rollBack: return decision.audit.milestoneName ?? decision.action.rawValue
    default: return decision.action.rawValue
    }
  }
}

/// The generations of a regenerated artifact as one policy releases them: the one its plan is releasing
/// (held by devices with the flag on), and the one the other devices hold: the last that reached everyone
/// (its plan's last milestone) without being rolled back, or -1, the artifact from before the release. A
/// kill stops the pipeline and sends everyone back to that known-good artifact.
struct ArtifactPipeline: Sendable {
  let every: SimulatedTime
  /// Whether the policy checks each generation before releasing it.
  let validate: Bool
  /// Per generation: whether a check of it fails (bad, and the check sees it).
  let failsValidation: [Bool]
  var current: Int32 = -1
  var fleet: Int32 = -1
  var reachedEveryone = false
  var withdrawn = false

  init(every: SimulatedTime, validate: Bool, failsValidation: [Bool]) {
    self.every = every
    self.validate = validate
    self.failsValidation = failsValidation
  }

  func rejected(_ generation: Int) -> Bool { generation >= 0 && generation < failsValidation.count && failsValidation[generation] }

  /// The release starts with the generation made last (none new, when the check rejects it).
  mutating func begin(at time: SimulatedTime) {
    let generation = Int(time.microseconds / every.microseconds)
    current = validate && rejected(generation) ? -1 : Int32(generation)
  }

  /// The plan moves on to `generation`; the one it had becomes everyone's if it reached them and stayed.
  mutating func advance(to generation: Int) {
    if reachedEveryone && !withdrawn { fleet = current }
    current = Int32(generation)
    reachedEveryone = false
    withdrawn = false
  }

  /// Which generations devices hold under the state `decision` publishes.
  mutating func publishes(_ decision: Decision, lastMilestone: Int) -> ArtifactHolding {
    switch decision.action {
    case .kill:
      // The known-good artifact from before the release, for everyone; nothing is released any more.
      fleet = -1
      withdrawn = true
    case .rollBack:
      withdrawn = true
    default:
      if decision.audit.target?.index == lastMilestone { reachedEveryone = true }
    }
    return ArtifactHolding(on: current, off: fleet)
  }
}
