import ArgumentParser
import Foundation
import Partition
import Report
import Scenario

struct RunCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract: "Run a scenario: every policy on the same fleet and seed.",
    discussion: """
      Writes summary.json, timeline.csv, audit.jsonl and report.html to the output folder (default: \
      out/<scenario name>/), and prints the outcome table on stdout. The folder is checked before the \
      run starts: Rollsim writes only into a new or empty folder or one it wrote before (it keeps a \
      manifest, .rollsim-results), replaces only its own files there and leaves every other file alone; \
      a non-empty folder of yours is refused unless --force. The files are written whole to a staging \
      folder and moved into place only when complete. Same scenario and seed, same files; with \
      --reproducible, byte-identical (the wall-time and memory figures are left out).
      """
  )

  @Argument(help: ArgumentHelp("The scenario file.", valueName: "SCENARIO.yaml")) var scenario: String
  @OptionGroup var overrides: ScenarioOverrides
  @Option(name: .customLong("policy"), help: ArgumentHelp("Run only this policy (repeatable).", valueName: "NAME")) var policies: [String] = []
  @Option(
    parsing: .unconditional,
    help: ArgumentHelp(
      "Step the fleet's blocks on P threads (default: one per core). The results are the same for every P.", valueName: "P"),
    transform: ArgumentRange.whole(1...1024)) var partitions: Int?
  @OptionGroup var output: OutputOptions
  @OptionGroup var reproducibility: Reproducibility

  func run() throws {
    // Started as several ranks (mpirun -np R), each policy's fleet is spread over them, block by block,
    // and rank 0 writes what one process writes; what can be refused is refused before any work.
    let ranks = try Ranks.start()
    let options = RunOptions(devices: overrides.devices, seed: overrides.seed, policies: policies, partitions: partitions)
    let (loaded, folder) = try ranks.together {
      let loaded = try LoadedScenario.load(path: scenario)
      try ScenarioRunner.check(loaded, options: options, over: ranks)
      return (loaded, ranks.isLeader ? try output.prepare("out/\(loaded.definition.name)", files: ResultWriter.files) : nil)
    }
    let progress = ProgressLine(enabled: !output.quiet && ranks.isLeader)
    var report: (@Sendable (String) -> Void)? = nil
    if progress.enabled { report = { line in progress.show(line) } }
    let outcome = try ranks.work { try ScenarioRunner.run(loaded, options: options, over: ranks, progress: report) }
    progress.clear()
    guard let folder else { return }
    try ResultWriter.write(
      outcome, page: Report.html(outcome), to: folder, reproducible: reproducibility.reproducible, command: OutputOptions.invocation)
    print(OutcomeTable.text(outcome), terminator: "")
    output.announce(folder)
  }
}

/// One status line on stderr, rewritten in place; only when stderr is a terminal.
final class ProgressLine: @unchecked Sendable {
  let enabled: Bool
  private let lock = NSLock()

  init(enabled: Bool) { self.enabled = enabled && isatty(2) != 0 }

  func show(_ line: String) {
    guard enabled else { return }
    lock.lock()
    defer { lock.unlock() }
    FileHandle.standardError.write(Data("\r\u{1B}[K\(line)".utf8))
  }

  func clear() {
    guard enabled else { return }
    FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
  }
}

/// The side-by-side outcome table printed after a run.
enum OutcomeTable {
  static func text(_ outcome: ScenarioOutcome) -> String {
    let rows: [(String, (PolicyOutcome) -> String)] = [
      ("final state", { $0.finalState.rawValue }),
      ("devices exposed", { String($0.result.devicesExposed) }),
      ("devices failed", { String($0.result.devicesFailed) }),
      ("failed device-hours", { String(format: "%.1f", $0.result.failedDeviceHours) }),
      ("manual recovery", { String($0.result.devicesNeedingManualRecovery) }),
      ("time to detect", { $0.timeToDetect.map(duration) ?? "never" }),
      ("time to mitigate", { $0.timeToMitigate.map(duration) ?? "never" }),
      ("time to recover", { $0.result.timeToRecoverSeconds.map(duration) ?? ($0.result.devicesTakenDown > 0 ? "never" : "-") }),
      ("decisions", { String($0.decisions.count) }),
    ]
    let names = outcome.policies.map(\.name)
    let labelWidth = rows.map(\.0.count).max() ?? 0
    let widths = outcome.policies.enumerated().map { index, policy in
      max(names[index].count, rows.map { $0.1(policy).count }.max() ?? 0)
    }
    func line(_ label: String, _ cells: [String]) -> String {
      ([label.padding(toLength: labelWidth, withPad: " ", startingAt: 0)]
        + zip(cells, widths).map { String(repeating: " ", count: $1 - $0.count) + $0 }).joined(separator: "  ")
    }
    var text = "\(outcome.scenario.definition.name): \(outcome.devices) devices, \(duration(outcome.simulatedSeconds)) simulated, seed \(outcome.seed)\n"
    text += line("", names) + "\n"
    for (label, value) in rows { text += line(label, outcome.policies.map(value)) + "\n" }
    return text
  }

  static func duration(_ seconds: Double) -> String {
    if seconds < 120 { return "\(Int(seconds.rounded()))s" }
    if seconds < 7200 { return "\(Int((seconds / 60).rounded()))m" }
    return String(format: "%.1fh", seconds / 3600)
  }
}
