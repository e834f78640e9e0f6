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
  let releaseAt: Int64
  private(set) var decisions: [Decision] = []
  private var started = false

  init(controller: ReleaseController, policy: String, releaseAt: Int64) {
    self.controller = controller
    self.policy = policy
    self.releaseAt = releaseAt
  }

  mutating func start() -> [Publication] {
    guard releaseAt == 0 else { return [] }
    started = true
    return take(controller.start(at: 0), deliveredAt: 0)
  }

  mutating func deliver(_ read: TelemetryRead, at time: SimulatedTime) -> [Publication] {
    // Windows before the release only tell the controller about the healthy fleet (the before of its
    // gates' before/after comparisons); the release starts at the first delivery at or after `release.at`.
    var publications: [Publication] = []
    if !started && time.microseconds >= releaseAt {
      started = true
      publications += take(controller.start(at: time.microseconds), deliveredAt: time.microseconds)
    }
    return publications + take(controller.observe(read, deliveredAt: time.microseconds), deliveredAt: time.microseconds)
  }

  /// Decisions are taken when a window is delivered (its end plus the pipeline's lag), not at its end:
  /// the controller stamps them so (and its reasons quote that clock); this keeps it true of every
  /// decision.
  private mutating func take(_ new: [Decision], deliveredAt delivery: Int64) -> [Publication] {
    let new = new.map { decision in
      var decision = decision
      if decision.time < delivery {
        decision.time = delivery
        decision.audit.time = delivery
      }
      return decision
    }
    decisions.append(contentsOf: new)
    return new.compactMap { decision in
      let time = SimulatedTime(microseconds: decision.time)
      if decision.action == .fix { return .fix(at: time) }
      guard let state = decision.state else { return nil }
      return Publication(time: time, state: FlagState(state), label: label(decision))
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
