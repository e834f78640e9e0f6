import ArgumentParser
import FlagEngine
import Foundation

struct EvalBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "eval",
    abstract: "Flag evaluation: time and allocations per evaluation, per case.",
    discussion: """
      Cases: simple (enabled, default strategy), rollout (flexibleRollout 50%), constrained \
      (../shared/bench/constrained-state.json, flag 'constrained', 100,000 contexts {userId: user-<i>, \
      properties: {hw: <i % 4>, fw: <1 + i % 3>.<i % 10>.0, region: eu-west}} in turn), variants \
      (four variants behind a strategy with stickiness), large-state (350 features, a random flag per \
      call). --state FILE measures your own exported state: every flag in turn over generated contexts. \
      Contexts are built before timing; an evaluation is one isEnabled (variants: one variant) call.
      """
  )

  @Option(name: .customLong("case"), help: "One case (default: all built-in cases).") var caseName: String?
  @Option(help: ArgumentHelp("Your own client-features state instead of the built-in cases.", valueName: "FILE")) var state: String?
  @Option(help: "The constrained case's state.") var constrainedState = "../shared/bench/constrained-state.json"
  @Option(
    parsing: .unconditional, help: "Evaluations timed per case (1...10000000000).", transform: ArgumentRange.whole(1...10_000_000_000))
  var evaluations = 5_000_000
  @Option(
    parsing: .unconditional,
    help: ArgumentHelp(
      "Contexts the built-in cases take in turn (1...10000000; the cases are defined with 100,000; fewer fit in the CPU's caches).",
      valueName: "N"),
    transform: ArgumentRange.whole(1...10_000_000))
  var contexts = 100_000
  @Flag(help: "Print JSON, one object per case.") var json = false

  func validate() throws {
    if let caseName, !EvalWorkload.names.contains(caseName) {
      throw ValidationError("unknown case '\(caseName)' (expected one of \(EvalWorkload.names.joined(separator: ", ")))")
    }
    if state != nil && caseName != nil { throw ValidationError("use --case or --state, not both") }
  }

  func run() throws {
    let workloads: [EvalWorkload]
    if let state {
      workloads = [try EvalWorkload.userState(path: state, contexts: contexts)]
    } else {
      let names = caseName.map { [$0] } ?? EvalWorkload.names
      if names.contains("constrained") && !FileManager.default.isReadableFile(atPath: constrainedState) {
        // The default is relative to the current folder; outside the repository it names nothing.
        let looked = URL(fileURLWithPath: constrainedState).standardizedFileURL.path
        throw Failure.input(
          "the 'constrained' case's state is not at \(looked) (--constrained-state \(constrainedState), from the current "
            + "folder); run from the Rollsim repository (beside ../shared), pass --constrained-state FILE, pick another "
            + "case with --case, or measure your own state with --state FILE")
      }
      workloads = try names.map { try EvalWorkload.builtIn($0, constrainedStatePath: constrainedState, contexts: contexts) }
    }
    for workload in workloads {
      let result = workload.measure(evaluations: evaluations)
      let report = BenchReport(
        name: "eval",
        fields: [
          ("case", .text(workload.name)), ("evaluations", .int(evaluations)),
          ("nsPerEval", .number(result.nanosecondsPerEvaluation)),
          ("mallocsPerEval", result.mallocsPerEvaluation.map { .number($0) } ?? .text("unavailable")),
          ("enabledFraction", .number(result.enabledFraction)),
        ])
      print(json ? report.json : report.text)
    }
  }
}
