import Scenario
import Rollout

extension Report {
  /// The part of a run where something happened, when it is a small part: a release stopped in its first
  /// three hours leaves 21 hours of flat lines that squeeze the story into the left edge of every chart.
  /// Charts over time then span `0...end`, and a note says what the rest of the run holds.
  struct Focus: Equatable {
    /// The last activity: a significant decision, devices failed short of 99% of their final count,
    /// devices down more than 1% of their peak away from their final count, exposure short of 95% of
    /// its peak.
    var activeUntil: Double
    /// The axis' end: a little after `activeUntil`, on a tick.
    var end: Double
    /// The end of the run.
    var runEnd: Double
  }

  /// Focuses the charts of `policies` when their activity ends before half of the run; `nil` when it
  /// does not (or nothing happened at all, which the whole run shows best).
  static func focus(_ policies: [ReportModel.PolicyResult], runEnd: Double, windowSeconds: Double) -> Focus? {
    guard runEnd.isFinite, runEnd > 0 else { return nil }
    var active = 0.0
    for policy in policies {
      active = max(active, activeUntil(policy))
    }
    guard active > 0 else { return nil }
    let window = windowSeconds.isFinite && windowSeconds > 0 ? windowSeconds : 0
    let wanted = active + max(2 * window, 0.25 * active)
    let axis = ChartAxis.time(fromSeconds: 0, toSeconds: wanted)
    // End on a tick, so the axis closes on a round time.
    let step = axis.ticks.count > 1 ? axis.ticks[1] - axis.ticks[0] : wanted
    let end = step > 0 ? (wanted / step - 1e-9).rounded(.up) * step : wanted
    guard end <= runEnd / 2 else { return nil }
    return Focus(activeUntil: active, end: end, runEnd: runEnd)
  }

  /// When `policy` last did or suffered something a chart shows: the last one percent of a slow tail
  /// is not worth hours of axis (the note gives the tail's figures).
  static func activeUntil(_ policy: ReportModel.PolicyResult) -> Double {
    var last = 0.0
    for decision in policy.decisions where ReportStyle.decision(decision.action).significant && decision.time.isFinite {
      last = max(last, decision.time)
    }
    let windows = policy.windows.filter(\.time.isFinite)
    if let final = windows.last?.devicesFailed, final > 0, let reached = windows.first(where: { Double($0.devicesFailed) >= 0.99 * Double(final) }) {
      last = max(last, reached.time)
    }
    if let final = windows.last?.devicesDown, let peak = windows.map(\.devicesDown).max(), peak > 0,
      let away = windows.lastIndex(where: { Double(abs($0.devicesDown - final)) > 0.01 * Double(peak) })
    {
      last = max(last, windows[min(away + 1, windows.count - 1)].time)
    }
    // A release still spreading is activity; the slow fall after a stop is not (the note reports it).
    if let peak = windows.map(\.exposure).filter(\.isFinite).max(), peak > 0,
      let reached = windows.first(where: { $0.exposure >= 0.95 * peak })
    {
      last = max(last, reached.time)
    }
    return last
  }

  /// The sentence that says what the charts leave out: `Everything happened in the first 3h12m of this
  /// 24h run: these charts show up to +4:00:00. After that: no decisions, ...`.
  static func focusNote(_ focus: Focus, _ policies: [ReportModel.PolicyResult], scope: String) -> String {
    typealias F = ReportNumberFormat
    var text =
      "Everything \(scope) happened in the first \(F.duration(focus.activeUntil)) of this \(F.duration(focus.runEnd)) run, "
      + "so these charts show the time up to \(F.clock(sinceStart: focus.end)). From there to the end (\(F.clock(sinceStart: focus.runEnd))): "
    let holds = policies.contains { policy in
      policy.decisions.contains { $0.time > focus.end && !ReportStyle.decision($0.action).significant }
    }
    text += holds ? "only routine decisions (holds, warnings)" : "no decisions"
    // What the tail holds, per figure: `devices failed go from 131,904 to 133,451 (big-bang)`.
    func tail(_ figure: String, _ value: (ReportModel.WindowSample) -> Double, _ text: (Double) -> String, least: Double) -> String {
      let verb = figure == "exposure" ? "goes" : "go"
      var changes: [String] = []
      for policy in policies {
        let later = policy.windows.filter { $0.time.isFinite && $0.time >= focus.end }
        guard let from = later.first.map(value), let to = later.last.map(value), abs(to - from) >= least else { continue }
        changes.append("from \(text(from)) to \(text(to))" + (policies.count > 1 ? " (\(policy.name))" : ""))
      }
      return changes.isEmpty ? "" : "; \(figure) \(verb) " + changes.joined(separator: ", ")
    }
    let failed = tail("devices failed", { Double($0.devicesFailed) }, { F.grouped(Int($0)) }, least: 1)
    let down = tail("devices down", { Double($0.devicesDown) }, { F.grouped(Int($0)) }, least: 1)
    text += failed.isEmpty && down.isEmpty ? "; devices failed and down do not change" : failed + down
    let exposure = tail("exposure", \.exposure, ReadableText.percent, least: 0.0005)
    if !exposure.isEmpty { text += exposure + ", as devices pick up the last state" }
    return "<p class=\"focus-note\">" + HTMLText.escape(text + ".") + "</p>\n"
  }
}
