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

      Then the batch API at each size of --batch: constrained (and --state's first flag) for that many \
      contexts in one call (one flag, many devices); large-state (and --state) with that many flags, \
      taken in turn from its 65,536 random picks, for one context per call (an edge answering a \
      request). Batch lines carry a "batch" field and the per-evaluation figures.
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
  @Option(help: ArgumentHelp("Batch sizes of the batch API (comma-separated; none: 0).", valueName: "SIZES"))
  var batch = "1,64,4096"
  @Option(help: ArgumentHelp(
    "Write each case's state, contexts and flags for the peer into DIR (see scripts/peers/yggdrasil_eval.c) instead of measuring.",
    valueName: "DIR")) var peerCases: String?
  @Flag(help: ArgumentHelp(
    "Also time murmur3 (rollsim bench hash's keys, 1,000,000 keys x 10 passes) interleaved with each case's evaluations, and print the case's cost in hashes.",
    discussion: "The two alternate in 10 turns each, so both see the same moments of a shared machine."))
  var againstHash = false
  @Flag(help: "Print JSON, one object per case.") var json = false

  var batchSizes: [Int] { batch == "0" ? [] : batch.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) } }

  func validate() throws {
    if let caseName, !EvalWorkload.names.contains(caseName) {
      throw ValidationError("unknown case '\(caseName)' (expected one of \(EvalWorkload.names.joined(separator: ", ")))")
    }
    if state != nil && caseName != nil { throw ValidationError("use --case or --state, not both") }
    let sizes = batch.split(separator: ",", omittingEmptySubsequences: false)
    guard batch == "0" || sizes.allSatisfy({ Int($0.trimmingCharacters(in: .whitespaces)).map { $0 > 0 } ?? false }) else {
      throw ValidationError("--batch must be positive whole numbers separated by commas, or 0 for none (found '\(batch)')")
    }
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
    if let peerCases {
      // Refuse before writing anything: a folder half-filled by an earlier run is not overwritten.
      let existing = workloads.flatMap { EvalWorkload.peerCaseFiles($0.name) }
        .map { URL(fileURLWithPath: peerCases).appendingPathComponent($0).path }
        .filter { FileManager.default.fileExists(atPath: $0) }
      if let first = existing.first { throw Failure.input("\(first): exists; --peer-cases writes into a folder without its files") }
      for workload in workloads { try workload.writePeerCase(to: peerCases) }
      return
    }
    let hash = againstHash ? HashWorkload(keys: 1_000_000) : nil
    for workload in workloads {
      let result = workload.measure(evaluations: evaluations)
      var fields: [(String, BenchReport.Value)] = [
        ("case", .text(workload.name)), ("evaluations", .int(evaluations)),
        ("nsPerEval", .number(result.nanosecondsPerEvaluation)),
        ("mallocsPerEval", result.mallocsPerEvaluation.map { .number($0) } ?? .text("unavailable")),
        ("enabledFraction", .number(result.enabledFraction)),
      ]
      if let hash {
        let paired = workload.measure(evaluations: evaluations, against: hash, passes: 10, chunks: 10)
        fields += [
          ("interleavedNsPerEval", .number(paired.eval)), ("interleavedNsPerHash", .number(paired.hash)),
          ("hashChecksum", .int(Int(paired.checksum))), ("costInHashes", .number(paired.eval / paired.hash)),
        ]
      }
      let report = BenchReport(name: "eval", fields: fields)
      print(json ? report.json : report.text)
      // Batches: the one-flag case with the most work per flag, and the many-flag cases.
      guard workload.name == "constrained" || workload.name == "large-state" || state != nil else { continue }
      for size in batchSizes {
        let result = workload.measure(batch: size, evaluations: evaluations)
        let report = BenchReport(
          name: "eval",
          fields: [
            ("case", .text(workload.name)), ("batch", .int(size)),
            ("shape", .text(workload.flags.count == 1
              ? "one flag, \(size) context\(size == 1 ? "" : "s") per call" : "\(size) flag\(size == 1 ? "" : "s"), one context per call")),
            ("evaluations", .int(evaluations)),
            ("nsPerEval", .number(result.nanosecondsPerEvaluation)),
            ("mallocsPerEval", result.mallocsPerEvaluation.map { .number($0) } ?? .text("unavailable")),
            ("enabledFraction", .number(result.enabledFraction)),
          ])
        print(json ? report.json : report.text)
      }
    }
  }
}
