import FlagEngine
import Fleet
import Rollout
import Simulation
import Telemetry

/// Wires a policy's controller into a fleet run: windows go in, decisions come out, and each decision
/// that changes the flag becomes a publication.
struct PolicyDriver: ReleaseDriver {
  var controller: ReleaseController
  let policy: String
  private(set) var decisions: [Decision] = []

  init(controller: ReleaseController, policy: String) {
    self.controller = controller
    self.policy = policy
  }

  mutating func start() -> [Publication] {
    take(controller.start(at: 0))
  }

  mutating func deliver(_ window: TelemetryWindow, at time: SimulatedTime) -> [Publication] {
    take(controller.observe(window))
  }

  private mutating func take(_ new: [Decision]) -> [Publication] {
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
