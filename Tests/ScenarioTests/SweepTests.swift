import Foundation
import Testing

@testable import Scenario

/// A folder of its own, removed when the test ends.
private func inTemporaryFolder<T>(_ body: (String) throws -> T) throws -> T {
  try withTemporaryFolder { try body($0.path) }
}

/// The small scenario, from a file in `folder` (its hash is of that file's bytes).
private func small(in folder: String, text: String = smallScenario) throws -> LoadedScenario {
  let path = "\(folder)/small.yaml"
  try Data(text.utf8).write(to: URL(fileURLWithPath: path))
  return try LoadedScenario.load(path: path)
}

/// The refusal of a merge, as text, or nil when it merges.
private func mergeRefusal(_ files: [(String, Sweep.Shard)], expected: Sweep.Identity? = nil) -> String? {
  do {
    _ = try Sweep.merge(files.map { (name: $0.0, shard: $0.1) }, in: "DIR", expected: expected)
    return nil
  } catch {
    return error.description
  }
}

@Suite struct SweepTests {
  /// A cheap sweep: 200 devices, one policy.
  let cheap = RunOptions(devices: 200, policies: ["big-bang"])

  @Test func shardsMergeIntoTheSameSummaryAsOneRun() throws {
    try inTemporaryFolder { folder in
      let scenario = try small(in: folder)
      let options = RunOptions(devices: 400, policies: ["guarded", "big-bang"])
      let whole = try Sweep.run(scenario, seeds: 4, shard: 1, of: 1, options: options)
      let first = try Sweep.run(scenario, seeds: 4, shard: 1, of: 2, options: options)
      let second = try Sweep.run(scenario, seeds: 4, shard: 2, of: 2, options: options)
      #expect(first.records.map(\.replication) == [0, 0, 2, 2])
      #expect(second.records.map(\.replication) == [1, 1, 3, 3])

      // The header says what the shard was run with.
      let bytes = try #require(FileManager.default.contents(atPath: scenario.file))
      #expect(
        first.header.identity
          == Sweep.Identity(
            rollsimVersion: RollsimVersion.number, scenario: "small", scenarioSHA256: SHA256.hex(bytes),
            flagStateSHA256: first.header.identity.flagStateSHA256, devices: 400, firstSeed: 5, seeds: 4,
            policies: ["big-bang", "guarded"]))
      #expect(first.header.identity.flagStateSHA256.count == 64)
      #expect(first.header.shard == 1 && first.header.shards == 2)

      // In any order, the shards merge into the records and the bytes of the sweep run whole.
      let merged = try Sweep.merge(
        [("sweep-shard-2-of-2.jsonl", second), ("sweep-shard-1-of-2.jsonl", first)], in: folder)
      let one = try Sweep.merge([("sweep-shard-1-of-1.jsonl", whole)], in: folder)
      #expect(merged.records == one.records)
      #expect(merged.shards == 2 && one.shards == 1)
      #expect(Sweep.json(Sweep.summary(merged)).pretty == Sweep.json(Sweep.summary(one)).pretty)

      // A shard survives its file.
      #expect(try Sweep.shard(text: Sweep.shardText(first), file: "shard") == first)
    }
  }

  @Test func recordsSayWhenTheFaultArrivedOnTheirSeed() throws {
    try inTemporaryFolder { folder in
      let text = smallScenario.replacingOccurrences(
        of: "    effect: {kind: crash, probability: 0.1, reboot: 1m}",
        with: "    from: {min: 0s, max: 5h}\n    effect: {kind: crash, probability: 0.1, reboot: 1m}")
      let scenario = try small(in: folder, text: text)
      let options = RunOptions(devices: 200, policies: ["big-bang", "guarded"])
      let shard = try Sweep.run(scenario, seeds: 3, shard: 1, of: 1, options: options)
      for record in shard.records {
        var seeded = options
        seeded.seed = record.seed
        let drawn = try ScenarioRunner.run(scenario, options: seeded).faultWindows.map(\.from.seconds)
        #expect(record.faultArrivalSeconds == drawn)
      }
      #expect(Set(shard.records.compactMap { $0.faultArrivalSeconds?.first }).count == 3)
      // The field survives the shard's file.
      #expect(try Sweep.shard(text: Sweep.shardText(shard), file: "shard") == shard)
    }
  }

  @Test func moreShardsThanSeedsStillMerge() throws {
    try inTemporaryFolder { folder in
      let scenario = try small(in: folder)
      let shards = try (1...3).map { try Sweep.run(scenario, seeds: 2, shard: $0, of: 3, options: cheap) }
      #expect(shards[2].records.isEmpty)
      // The empty shard still has its header, so it counts.
      let text = Sweep.shardText(shards[2])
      #expect(text.split(separator: "\n").count == 1)
      let read = try Sweep.shard(text: text, file: "shard")
      let merged = try Sweep.merge(shards.map { (name: $0.header.fileName, shard: $0) } .dropLast() + [(read.header.fileName, read)], in: folder)
      let whole = try Sweep.run(scenario, seeds: 2, shard: 1, of: 1, options: cheap)
      #expect(merged.records == whole.records)
      #expect(mergeRefusal(shards.dropLast().map { ($0.header.fileName, $0) })?.contains("shard 3 of 3 is missing") == true)
    }
  }

  @Test func mismatchedDevicesAreRefused() throws {
    try inTemporaryFolder { folder in
      let scenario = try small(in: folder)
      let first = try Sweep.run(scenario, seeds: 2, shard: 1, of: 2, options: cheap)
      var larger = cheap
      larger.devices = 300
      let second = try Sweep.run(scenario, seeds: 2, shard: 2, of: 2, options: larger)
      let refusal = try #require(mergeRefusal([("sweep-shard-1-of-2.jsonl", first), ("sweep-shard-2-of-2.jsonl", second)]))
      #expect(refusal.hasPrefix("DIR: cannot merge shards of different sweeps:"))
      #expect(refusal.contains("sweep-shard-2-of-2.jsonl and sweep-shard-1-of-2.jsonl differ in devices (300 and 200)"))
    }
  }

  @Test func otherDifferencesAreNamedToo() throws {
    try inTemporaryFolder { folder in
      let scenario = try small(in: folder)
      let first = try Sweep.run(scenario, seeds: 2, shard: 1, of: 2, options: cheap)
      var other = first
      other.header.shard = 2
      other.header.shards = 4
      other.header.identity.firstSeed = 9
      other.header.identity.policies = ["big-bang", "ramp"]
      other.records = []
      let refusal = try #require(mergeRefusal([("a.jsonl", first), ("b.jsonl", other)]))
      #expect(refusal.contains("b.jsonl and a.jsonl differ in firstSeed (9 and 5), policies ([big-bang, ramp] and [big-bang]) and shards (4 and 2)"))

      // The shards of an edited scenario are not the shards of the scenario as it is now.
      let second = try Sweep.run(scenario, seeds: 2, shard: 2, of: 2, options: cheap)
      let edited = try small(in: folder, text: smallScenario.replacingOccurrences(of: "probability: 0.1", with: "probability: 0.2"))
      let now = try Sweep.identity(of: edited, seeds: 2, options: cheap)
      let stale = try #require(mergeRefusal([("a.jsonl", first), ("b.jsonl", second)], expected: now))
      #expect(stale.contains("scenarioSHA256 \(first.header.identity.scenarioSHA256) in the shards, \(now.scenarioSHA256) given"))
      #expect(!stale.contains("flagStateSHA256"))  // the flag state did not change
      #expect(mergeRefusal([("a.jsonl", first), ("b.jsonl", second)], expected: first.header.identity) == nil)
    }
  }

  @Test func missingShardsAreNamed() throws {
    try inTemporaryFolder { folder in
      let scenario = try small(in: folder)
      let shards = try [1, 3].map { try Sweep.run(scenario, seeds: 4, shard: $0, of: 4, options: cheap) }
      let refusal = mergeRefusal(shards.map { ($0.header.fileName, $0) })
      #expect(refusal == "DIR: cannot merge: shards 2 and 4 of 4 are missing (run --shard 2/4 and --shard 4/4, then merge again)")
      #expect(mergeRefusal([]) == "DIR: no shard files (sweep-shard-*.jsonl) to merge")
      // Many missing: the first few, and how many more.
      var lone = shards[0]
      lone.header.shards = 20
      lone.header.identity.seeds = 20
      lone.records = lone.records.filter { $0.replication == 0 }
      #expect(mergeRefusal([("s.jsonl", lone)]) == "DIR: cannot merge: 19 of 20 shards are missing: 2, 3, 4, 5, 6, 7, 8, 9 and 11 more")
    }
  }

  @Test func duplicateShardsAreRefused() throws {
    try inTemporaryFolder { folder in
      let scenario = try small(in: folder)
      let first = try Sweep.run(scenario, seeds: 2, shard: 1, of: 2, options: cheap)
      let second = try Sweep.run(scenario, seeds: 2, shard: 2, of: 2, options: cheap)
      // A copy of shard 1 under another name: the header, not the name, says which shard it is.
      let refusal = mergeRefusal([("sweep-shard-1-of-2.jsonl", first), ("sweep-shard-2-of-2.jsonl", first), ("sweep-shard-9.jsonl", second)])
      #expect(refusal == "DIR: cannot merge: shard 1 of 2 is there 2 times: sweep-shard-1-of-2.jsonl and sweep-shard-2-of-2.jsonl")
    }
  }

  @Test func recordsMustBeWhatTheHeaderPromises() throws {
    try inTemporaryFolder { folder in
      let scenario = try small(in: folder)
      let shard = try Sweep.run(scenario, seeds: 3, shard: 1, of: 1, options: cheap)
      func refusal(_ change: (inout Sweep.Shard) -> Void) -> String? {
        var changed = shard
        change(&changed)
        return mergeRefusal([("s.jsonl", changed)])
      }
      #expect(refusal { $0.records.removeLast() } == "DIR/s.jsonl: no record for replication 2 (seed 7), policy 'big-bang'")
      #expect(refusal { $0.records.append($0.records[0]) } == "DIR/s.jsonl:5: a second record for replication 0, policy 'big-bang'")
      #expect(refusal { $0.records[1].seed = 99 }?.hasPrefix("DIR/s.jsonl:3: seed 99 for replication 1") == true)
      #expect(refusal { $0.records[1].replication = 3 } == "DIR/s.jsonl:3: replication 3 is not one of shard 1 of 1 (3 seeds)")
      #expect(refusal { $0.records[1].policy = "ramp" }?.hasPrefix("DIR/s.jsonl:3: policy 'ramp' is not one the header names") == true)
    }
  }

  @Test func shardFilesAreRecognised() throws {
    let record = #"{"replication":0,"seed":5,"policy":"a","devicesFailed":0,"failedDeviceHours":0,"devicesNeedingManualRecovery":0,"timeToDetectSeconds":null,"timeToMitigateSeconds":null,"finalState":"completed","falseAlarm":false}"#
    func refusal(_ text: String) -> String? {
      do {
        _ = try Sweep.shard(text: text, file: "f.jsonl")
        return nil
      } catch {
        return error.description
      }
    }
    #expect(refusal(record + "\n")?.hasPrefix("f.jsonl:1: a shard written by an earlier rollsim, without the header") == true)
    #expect(refusal("hello\n") == "f.jsonl:1: not a sweep shard file (its first line is not a rollsim sweep shard header)")
    #expect(refusal("") == "f.jsonl: empty: not a sweep shard file")
    let header = #"{"kind":"rollsim sweep shard","rollsimVersion":"0.1.0","scenario":"s","scenarioSHA256":"x","flagStateSHA256":"y","devices":10,"firstSeed":1,"seeds":2,"shard":1,"shards":1,"policies":["a"]}"#
    #expect(refusal(header + "\n" + record + "\nnot json\n") == "f.jsonl:3: not a sweep record")
    #expect(refusal(header.replacingOccurrences(of: #""shard":1"#, with: #""shard":2"#))?.contains("shard 2 of 1") == true)
    // Nothing in a file can overflow a seed or make a merge list a billion shards.
    #expect(refusal(header.replacingOccurrences(of: #""firstSeed":1"#, with: #""firstSeed":9223372036854775807"#)) != nil)
    #expect(refusal(header.replacingOccurrences(of: #""shards":1"#, with: #""shards":1000000000"#)) != nil)
    #expect(refusal(header.replacingOccurrences(of: #""seeds":2"#, with: #""seeds":1000000000"#)) != nil)
  }

  @Test func seedsMustFitTheFiles() throws {
    try inTemporaryFolder { folder in
      let scenario = try small(in: folder)
      var options = cheap
      options.seed = UInt64(Int64.max) - 1
      #expect(throws: ScenarioError.self) { try Sweep.identity(of: scenario, seeds: 3, options: options) }
      #expect(try Sweep.identity(of: scenario, seeds: 2, options: options).firstSeed == UInt64(Int64.max) - 1)
      options.policies = ["nope"]
      #expect(throws: ScenarioError.self) { try Sweep.identity(of: scenario, seeds: 2, options: options) }
    }
  }

  @Test func intervalsAndRates() {
    let interval = Sweep.Interval([1, 2, 3, 4, 5])
    let half = 2.776 * (2.5 / 5.0).squareRoot()
    #expect(interval.n == 5 && interval.mean == 3 && interval.low == 3 - half && interval.high == 3 + half)
    let one = Sweep.Interval([7])
    #expect(one.n == 1 && one.mean == 7 && one.low == nil && one.high == nil)
    #expect(Sweep.Interval([]).mean == nil)
    let wilson = Sweep.Proportion(successes: 0, trials: 20)
    #expect(wilson.low == 0 && abs(wilson.high - 0.1611) < 0.001)
    let quarter = Sweep.Proportion(successes: 1, trials: 4)
    #expect(abs(quarter.low - 0.0456) < 0.0001 && abs(quarter.high - 0.6994) < 0.0001)
  }

}

@Suite struct SweepFolderTests {
  /// What a merge reads from its folder: the shard files, whoever put them there, and nothing else.
  @Test func aMergeReadsTheShardFilesInItsFolder() throws {
    try inTemporaryFolder { folder in
      for name in ["sweep-shard-2-of-2.jsonl", "sweep-shard-1-of-2.jsonl", "sweep.json", "notes.txt", "sweep-shard-1-of-2.jsonl.bak"] {
        try Data("x\n".utf8).write(to: URL(fileURLWithPath: "\(folder)/\(name)"))
      }
      #expect(try Sweep.shardFiles(in: folder) == ["sweep-shard-1-of-2.jsonl", "sweep-shard-2-of-2.jsonl"])
      do {
        _ = try Sweep.shardFiles(in: "\(folder)/missing")
        Issue.record("a missing folder had shard files")
      } catch {
        #expect(String(describing: error) == "\(folder)/missing: cannot read the folder (missing or not readable)")
      }
    }
  }
}
