import Scenario
/// Consecutive decisions folded into one entry for charts and the decision log: a controller that holds at
/// every evaluation would otherwise bury the few decisions that changed something.
///
/// Decisions fold when they have the same action and milestone and are either routine (holds) or repeat
/// the same reason. Significant decisions with different reasons never fold.
struct DecisionRun: Equatable {
  var first: ReportModel.DecisionMark
  var last: ReportModel.DecisionMark
  var count: Int
  var style: ReportStyle.DecisionStyle

  static func runs(_ decisions: [ReportModel.DecisionMark]) -> [DecisionRun] {
    var runs: [DecisionRun] = []
    for decision in decisions {
      let style = ReportStyle.decision(decision.action)
      if var run = runs.last, run.first.action == decision.action, run.first.milestone == decision.milestone,
        !style.significant || run.first.reason == decision.reason
      {
        run.last = decision
        run.count += 1
        runs[runs.count - 1] = run
      } else {
        runs.append(DecisionRun(first: decision, last: decision, count: 1, style: style))
      }
    }
    return runs
  }

  /// `advance`, or `hold ×12`.
  var actionText: String {
    count == 1 ? first.action : "\(first.action) ×\(count)"
  }

  /// `+2:05:00`, or `+1:00:00 – +2:00:00` for a run.
  var timeText: String {
    let start = ReportNumberFormat.clock(sinceStart: first.time)
    return count == 1 ? start : start + " – " + ReportNumberFormat.clock(sinceStart: last.time)
  }

  /// The reason, or the first and last reasons of a run when they differ.
  var reasonText: String {
    count == 1 || first.reason == last.reason ? first.reason : "\(first.reason) … last: \(last.reason)"
  }

  /// The marker's tooltip: when, what, in which milestone and why.
  func tooltip(policy: String? = nil) -> String {
    var text = policy.map { "\($0): " } ?? ""
    text += actionText + " at " + timeText + " (" + ReportNumberFormat.trimmed(first.time / 3600, maxDecimals: 2) + " h)"
    if !first.milestone.isEmpty { text += ", milestone " + first.milestone }
    let reason = reasonText
    if !reason.isEmpty { text += " — " + reason }
    return text
  }
}
