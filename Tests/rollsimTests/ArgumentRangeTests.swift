import Foundation
import Testing

/// Every numeric option of every subcommand: a negative number, zero, a number past its range, a number
/// too large for any integer, and a word are refused with exit status 2 and a message that names the
/// option and its range, before any work.
@Suite struct ArgumentRangeTests {
  struct Case: CustomStringConvertible, Sendable {
    let command: [String]
    let option: String
    let valueName: String
    let range: String
    /// Values to refuse; each must give the message.
    let refused: [String]
    var description: String { (command + [option]).joined(separator: " ") }
  }

  static let run = ["run", "scenarios/progressive-release-template.yaml"]
  static let capacity = ["capacity", "scenarios/capacity-edge-10m.yaml"]
  static let sweep = ["sweep", "scenarios/progressive-release-template.yaml"]
  static let whole = ["-5", "abc", "1.5", "99999999999999999999"]
  static let seeds = ["-1", "abc", "18446744073709551616"]

  static let cases: [Case] = [
    Case(command: run, option: "--devices", valueName: "N", range: "must be a whole number in 1...1000000000", refused: ["0", "1000000001"] + whole),
    Case(command: run, option: "--seed", valueName: "S", range: "must be a whole number in 0...18446744073709551615", refused: seeds),
    Case(command: sweep, option: "--seeds", valueName: "N", range: "must be a whole number in 1...100000", refused: ["0", "100001"] + whole),
    Case(command: sweep, option: "--devices", valueName: "N", range: "must be a whole number in 1...1000000000", refused: ["0", "1000000001"] + whole),
    Case(command: sweep, option: "--seed", valueName: "S", range: "must be a whole number in 0...18446744073709551615", refused: seeds),
    Case(
      command: sweep, option: "--shard", valueName: "I/K", range: "must be I/K, whole numbers with 1 <= I <= K <= 100000",
      refused: ["-5", "-1/2", "0/2", "3/2", "1/0", "1/100001", "1", "1/2/3", "a/b", "1.5/2", "99999999999999999999/1", ""]),
    Case(command: capacity, option: "--devices", valueName: "N", range: "must be a whole number in 1...1000000000", refused: ["0", "1000000001"] + whole),
    Case(command: capacity, option: "--seed", valueName: "S", range: "must be a whole number in 0...18446744073709551615", refused: seeds),
    Case(
      command: capacity, option: "--eval-ns", valueName: "NS", range: "must be a number of nanoseconds greater than 0 and at most 1000000000",
      refused: ["0", "-73", "1e10", "nan", "inf", "abc"]),
    Case(command: capacity, option: "--evaluations", valueName: "N", range: "must be a whole number in 1...1000000000", refused: ["0", "1000000001"] + whole),
    Case(
      command: ["eval", "--state", "state.json", "--flag", "f", "--context", "{}"], option: "--seed", valueName: "seed",
      range: "must be a whole number in 0...18446744073709551615", refused: seeds),
    Case(command: ["bench", "hash"], option: "--keys", valueName: "N", range: "must be a whole number in 1...100000000", refused: ["0", "100000001"] + whole),
    Case(command: ["bench", "hash"], option: "--passes", valueName: "passes", range: "must be a whole number in 1...10000", refused: ["0", "10001"] + whole),
    Case(command: ["bench", "eval"], option: "--evaluations", valueName: "evaluations", range: "must be a whole number in 1...10000000000", refused: ["0"] + whole),
    Case(command: ["bench", "eval"], option: "--contexts", valueName: "N", range: "must be a whole number in 1...10000000", refused: ["0", "10000001"] + whole),
    Case(command: ["bench", "des"], option: "--pending", valueName: "N", range: "must be a whole number in 1...4294967296", refused: ["0", "4294967297"] + whole),
    Case(command: ["bench", "des"], option: "--events", valueName: "E", range: "must be a whole number in 1...10000000000", refused: ["0"] + whole),
    Case(command: ["bench", "des"], option: "--seed", valueName: "seed", range: "must be a whole number in 0...18446744073709551615", refused: seeds),
    Case(command: ["bench", "fleet"], option: "--devices", valueName: "N", range: "must be a whole number in 1...1000000000", refused: ["0", "1000000001"] + whole),
    Case(command: ["bench", "fleet"], option: "--hours", valueName: "hours", range: "must be a whole number in 1...744", refused: ["0", "745"] + whole),
    Case(command: ["bench", "fleet"], option: "--seed", valueName: "seed", range: "must be a whole number in 0...18446744073709551615", refused: seeds),
    Case(command: ["bench", "gates"], option: "--releases", valueName: "releases", range: "must be a whole number in 1...100000", refused: ["0", "100001"] + whole),
    Case(command: ["bench", "gates"], option: "--degraded", valueName: "degraded", range: "must be a whole number in 1...100000", refused: ["0", "100001"] + whole),
    Case(command: ["bench", "gates"], option: "--seed", valueName: "seed", range: "must be a whole number in 0...1000000000000", refused: ["-1", "abc", "1000000000001"]),
  ]

  @Test(arguments: cases) func outOfRangeValuesExitWithTwo(_ item: Case) throws {
    for value in item.refused {
      let outcome = try CommandLine.run(CommandLine.rollsim, item.command + [item.option, value])
      #expect(outcome.status == 2, "\(item) \(value): \(outcome.stderr)")
      let message = "The value '\(value)' is invalid for '\(item.option) <\(item.valueName)>': \(item.range)"
      #expect(outcome.stderr.hasPrefix("rollsim: Error: \(message)\n"), "\(item) \(value): \(outcome.stderr)")
      #expect(outcome.stdout.isEmpty)
    }
  }

  @Test func theEdgesOfARangeAreAccepted() throws {
    try CommandLine.withTemporaryFolder { folder in
      let outcome = try CommandLine.run(
        CommandLine.rollsim,
        Self.run + ["--devices", "1", "--seed", "18446744073709551615", "--quiet", "--out", folder.appendingPathComponent("r").path])
      #expect(outcome.status == 0, "\(outcome.stderr)")
      #expect(outcome.stdout.contains("1 devices") && outcome.stdout.contains("seed 18446744073709551615"))
    }
  }

  @Test func anEmptyOutIsACommandLineError() throws {
    for command in [Self.run, Self.capacity, Self.sweep] {
      let outcome = try CommandLine.run(CommandLine.rollsim, command + ["--out", ""])
      #expect(outcome.status == 2)
      #expect(outcome.stderr.contains("--out must name a folder"))
    }
  }
}
