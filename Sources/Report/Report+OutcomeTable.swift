import Scenario
extension Report {
  /// One row of the outcome table: a metric, its text per policy and, for metrics where lower is better,
  /// the value each policy is ranked by (`nil` leaves that policy out of the ranking).
  struct OutcomeRow {
    var label: String
    var hint: String?
    var cells: [String]
    var ranking: [Double?]?
    var numeric: Bool

    /// The policies holding the best (lowest) value. None when fewer than two policies are ranked or when
    /// they are all equal: a tie across the board says nothing.
    var best: Set<Int> {
      guard let ranking else { return [] }
      let ranked = ranking.enumerated().compactMap { index, value in value.map { (index, $0) } }
      guard ranked.count >= 2, let lowest = ranked.map(\.1).min() else { return [] }
      let winners = ranked.filter { $0.1 == lowest }.map(\.0)
      return winners.count == ranked.count ? [] : Set(winners)
    }
  }

  static func outcomeRows(_ model: ReportModel) -> [OutcomeRow] {
    let policies = model.policies
    let fleet = model.scenario.devices
    typealias F = ReportNumberFormat
    func countCell(_ value: Int) -> String {
      fleet > 0 ? "\(F.grouped(value)) (\(F.share(value, of: fleet)))" : F.grouped(value)
    }
    func timeCells(_ time: (ReportModel.PolicyResult) -> Double?) -> OutcomeRow {
      var cells: [String] = []
      var ranking: [Double?] = []
      for policy in policies {
        if let seconds = time(policy) {
          cells.append(F.duration(seconds))
          ranking.append(seconds)
        } else if policy.devicesFailed > 0 {
          cells.append("never")
          ranking.append(.infinity)
        } else {
          cells.append("— (no failure)")
          ranking.append(nil)
        }
      }
      return OutcomeRow(label: "", hint: nil, cells: cells, ranking: ranking, numeric: true)
    }
    let peakDown: [Int?] = policies.map { $0.windows.isEmpty ? nil : $0.windows.map(\.devicesDown).max() }

    var detect = timeCells(\.timeToDetectSeconds)
    detect.label = "Time to detect"
    detect.hint = "from the first failure to the first reaction; lower is better"
    var mitigate = timeCells(\.timeToMitigateSeconds)
    mitigate.label = "Time to mitigate"
    mitigate.hint = "from the first failure until the fault is taken away; lower is better"

    // Recovery, where the release took devices down: until the last is back (a crash loop's boots have to
    // get through the delivery path's servers, so their capacity and the clients' retries set the tail).
    var recover = OutcomeRow(label: "Time to recover", hint: nil, cells: [], ranking: [], numeric: true)
    recover.hint = "from the first failure until the last device it took down is back; lower is better"
    for policy in policies {
      if let seconds = policy.timeToRecoverSeconds {
        recover.cells.append(F.duration(seconds))
        recover.ranking?.append(seconds)
      } else if policy.devicesTakenDown > 0 {
        recover.cells.append("not by the end")
        recover.ranking?.append(.infinity)
      } else {
        recover.cells.append("— (none down)")
        recover.ranking?.append(nil)
      }
    }
    let shed = OutcomeRow(
      label: "Boot fetches turned away", hint: "shed by servers over their capacity, then retried by the SDK's rule",
      cells: policies.map { $0.bootFetches > 0 ? "\(F.grouped($0.bootFetchesShed)) of \(F.grouped($0.bootFetches)) (\(F.share($0.bootFetchesShed, of: $0.bootFetches)))" : "–" },
      ranking: nil, numeric: true)
    let recovery = (policies.contains { $0.devicesTakenDown > 0 } ? [recover] : []) + (policies.contains { $0.bootFetchesShed > 0 } ? [shed] : [])
    // A data loss shows only in users' reports: the rows appear where a scenario has them.
    let lostData = OutcomeRow(
      label: "Devices that lost data", hint: "a data-loss fault destroyed their data; lower is better",
      cells: policies.map { countCell($0.devicesLostData) }, ranking: policies.map { Double($0.devicesLostData) }, numeric: true)
    let reports = OutcomeRow(
      label: "User reports", hint: "received within the run, of installs",
      cells: policies.map { "\(F.grouped($0.reports)) of \(F.grouped($0.installs))" }, ranking: nil, numeric: true)
    let userSide = (policies.contains { $0.devicesLostData > 0 } ? [lostData] : []) + (policies.contains { $0.reports > 0 } ? [reports] : [])

    return [
      OutcomeRow(label: "Policy kind", cells: policies.map(\.kind), ranking: nil, numeric: false),
      OutcomeRow(label: "Final state", cells: policies.map { endStateText($0.finalState) }, ranking: nil, numeric: false),
      OutcomeRow(
        label: "Devices exposed", hint: "had the flag on at least once", cells: policies.map { countCell($0.devicesExposed) },
        ranking: nil, numeric: true),
      OutcomeRow(
        label: "Devices failed", hint: "at least one failure caused by the release; lower is better",
        cells: policies.map { countCell($0.devicesFailed) }, ranking: policies.map { Double($0.devicesFailed) }, numeric: true),
      OutcomeRow(
        label: "Failed device-hours", hint: "lower is better", cells: policies.map { F.quantity($0.failedDeviceHours) },
        ranking: policies.map { $0.failedDeviceHours.isFinite ? $0.failedDeviceHours : nil }, numeric: true),
      OutcomeRow(
        label: "Devices needing manual recovery", hint: "lower is better",
        cells: policies.map { countCell($0.devicesNeedingManualRecovery) },
        ranking: policies.map { Double($0.devicesNeedingManualRecovery) }, numeric: true),
    ] + userSide + [
      OutcomeRow(
        label: "Peak devices down at once", hint: "lower is better", cells: peakDown.map { $0.map(countCell) ?? "–" },
        ranking: peakDown.map { $0.map(Double.init) }, numeric: true),
      detect,
      mitigate,
    ] + recovery + [
      OutcomeRow(label: "Decisions", cells: policies.map { F.grouped($0.decisionCount) }, ranking: nil, numeric: true),
      OutcomeRow(
        label: "Exposure at the end", cells: policies.map { $0.windows.last.map { F.percent($0.exposure) } ?? "–" },
        ranking: nil, numeric: true),
    ]
  }

  static func outcomeTable(_ model: ReportModel) -> String {
    let e = HTMLText.escape
    guard !model.policies.isEmpty else { return "<p>No policies were run.</p>\n" }
    var out = "<div class=\"table-scroll\">\n<table class=\"outcomes\">\n"
    out += "<caption>One column per policy, same fleet and seed. In rows marked “lower is better”, the best value is shaded and tagged “best”. "
    out += "“never”: the release hurt devices and the policy did not react before the end.</caption>\n"
    out += "<thead><tr><th scope=\"col\">Outcome</th>"
    for (index, policy) in model.policies.enumerated() {
      let look = policyLook(index)
      out += "<th scope=\"col\">\(swatch(colour: look.colour, dash: look.dash)) \(e(policy.name))</th>"
    }
    out += "</tr></thead>\n<tbody>\n"
    for row in outcomeRows(model) {
      let best = row.best
      out += "<tr><th scope=\"row\">\(e(row.label))"
      if let hint = row.hint { out += "<span class=\"hint\">\(e(hint))</span>" }
      out += "</th>"
      for (index, cell) in row.cells.enumerated() {
        var classes = row.numeric ? ["num"] : []
        if best.contains(index) { classes.append("best") }
        out += classes.isEmpty ? "<td>" : "<td class=\"\(classes.joined(separator: " "))\">"
        out += e(cell)
        if best.contains(index) { out += "<span class=\"best-tag\">best</span>" }
        out += "</td>"
      }
      out += "</tr>\n"
    }
    out += "</tbody>\n</table>\n</div>\n"
    return out
  }

  static func endStateText(_ state: ReportModel.EndState) -> String {
    switch state {
    case .completed: "completed"
    case .paused: "paused"
    case .rolledBack: "rolled back"
    case .killed: "killed"
    case .inProgress: "in progress"
    case .fixed: "fixed"
    default: state.rawValue
    }
  }
}
