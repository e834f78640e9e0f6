import Scenario
extension Sweep {
  /// The table printed after a merge (or a sweep run in one shard): outcome by row, policy by column, each
  /// cell the mean and its 95% interval, as the page writes them.
  public static func table(_ sweep: ReportModel.Sweep) -> String {
    let scenario = sweep.scenario
    let names = sweep.policies
    let rows = sweep.outcomes.map { ($0.title.lowercased(), Report.sweepCellTexts($0)) }
    let labelWidth = rows.map(\.0.count).max() ?? 0
    let widths = names.indices.map { index in max(names[index].count, rows.map { $0.1[index].count }.max() ?? 0) }
    func line(_ label: String, _ cells: [String]) -> String {
      ([label.padding(toLength: labelWidth, withPad: " ", startingAt: 0)]
        + zip(cells, widths).map { String(repeating: " ", count: $1 - $0.count) + $0 }).joined(separator: "  ")
    }
    let shards = sweep.shards == 1 ? "1 shard" : "\(sweep.shards) shards"
    var text = "\(scenario.name): \(sweep.seeds) seeds (\(Report.seedRange(sweep))), "
    text += "\(ReportNumberFormat.grouped(scenario.devices)) devices, \(ReportNumberFormat.duration(scenario.simulatedSeconds)) simulated, "
    text += "\(shards), rollsim \(sweep.rollsimVersion)\n"
    text += "scenario sha256 \(sweep.scenarioSHA256.prefix(12)), flag state sha256 \(sweep.flagStateSHA256.prefix(12))\n\n"
    text += line("", names) + "\n"
    for (label, cells) in rows { text += line(label, cells) + "\n" }
    text += "\nmean (95% interval: Student's t, cut at 0); \"3 of 4\": the seeds a value is over (times: the seeds where a\n"
    text += "device failed and the policy reacted); false-pause rate: pauses, roll backs and kills of the release without\n"
    text += "its faults, with Wilson's interval.\n"
    return text
  }
}
