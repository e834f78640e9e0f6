import Testing

@testable import Scenario

@Suite struct SweepTests {
  @Test func shardsMergeIntoTheSameSummaryAsOneRun() throws {
    let scenario = try loadScenario(smallScenario)
    let options = RunOptions(devices: 400, policies: ["big-bang", "guarded"])
    let whole = try Sweep.run(scenario, replications: 4, shard: 1, of: 1, options: options)
    let first = try Sweep.run(scenario, replications: 4, shard: 1, of: 2, options: options)
    let second = try Sweep.run(scenario, replications: 4, shard: 2, of: 2, options: options)
    #expect(first.map(\.replication).allSatisfy { $0 % 2 == 0 })
    #expect(second.map(\.replication).allSatisfy { $0 % 2 == 1 })
    let merged = (first + second).sorted { ($0.replication, $0.policy) < ($1.replication, $1.policy) }
    #expect(merged == whole.sorted { ($0.replication, $0.policy) < ($1.replication, $1.policy) })
    #expect(Sweep.summary(first + second, scenario: "small").pretty == Sweep.summary(whole, scenario: "small").pretty)
    // Records survive their file.
    try withTemporaryFile(Sweep.shardText(whole), name: "shard.jsonl") { path throws in
      #expect(try Sweep.read(path) == whole)
    }
  }

  @Test func intervalsAndRates() {
    let interval = Statistics.interval([1, 2, 3, 4, 5])
    #expect(interval == .object([("n", .int(5)), ("mean", .number(3)), ("low", .number(3 - 2.776 * (2.5 / 5.0).squareRoot())), ("high", .number(3 + 2.776 * (2.5 / 5.0).squareRoot()))]))
    let wilson = Statistics.wilson(successes: 0, trials: 20)
    #expect(wilson.low == 0 && abs(wilson.high - 0.1611) < 0.001)
  }
}
