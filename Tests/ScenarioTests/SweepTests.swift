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
        let drawn = try ScenarioRunner.run(scenario, options: seeded).faultWindows.map(\.from.inSeconds)
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

  /// A sweep's page model by hand: each kind of cell the table writes.
  static func handModel() -> ReportModel.Sweep {
    typealias Cell = ReportModel.SweepCell
    let quarter = Sweep.Proportion(successes: 1, trials: 4)
    let none = Sweep.Proportion(successes: 0, trials: 4)
    return ReportModel.Sweep(
      scenario: ReportModel.ScenarioSummary(
        name: "small", description: "A small <fleet>.", seed: 5, devices: 3000, simulatedSeconds: 21_600,
        startTime: "2026-03-02T06:00:00Z", sources: ["https://example.com/incident"], windowSeconds: 300),
      seeds: 4, shards: 2, rollsimVersion: "0.1.0", scenarioSHA256: String(repeating: "ab", count: 32),
      flagStateSHA256: String(repeating: "cd", count: 32), policies: ["big-bang", "guarded"],
      outcomes: [
        .init(
          id: "devices-failed", title: "Devices failed", hint: "lower is better", unit: .devices,
          cells: [Cell(mean: 812.25, low: 790.2, high: 834.3, count: 4, of: 4), Cell(mean: 2.25, low: -0.4, high: 4.9, count: 4, of: 4)]),
        .init(
          id: "failed-device-hours", title: "Failed device-hours", hint: "lower is better", unit: .deviceHours,
          cells: [Cell(mean: 1234.4, low: 1100.2, high: 1368.9, count: 4, of: 4), Cell(mean: 0.5, low: 0.1, high: 0.9, count: 4, of: 4)]),
        .init(
          id: "manual-recovery", title: "Devices needing manual recovery", hint: "lower is better", unit: .devices,
          cells: [Cell(mean: 0, low: 0, high: 0, count: 4, of: 4), Cell(mean: 0, low: 0, high: 0, count: 4, of: 4)]),
        .init(
          id: "time-to-detect", title: "Time to detect", hint: "lower is better", unit: .duration,
          cells: [Cell(mean: 1020, low: 720, high: 1320, count: 3, of: 4), Cell(mean: nil, count: 0, of: 4, none: "never")]),
        .init(
          id: "time-to-mitigate", title: "Time to mitigate", hint: "lower is better", unit: .duration,
          cells: [Cell(mean: 9000, low: 7200, high: 10_800, count: 4, of: 4), Cell(mean: 600, count: 1, of: 2)]),
        .init(
          id: "false-pause-rate", title: "False-pause rate", hint: "lower is better", unit: .fraction,
          cells: [
            Cell(mean: none.rate, low: none.low, high: none.high, count: 0, of: 4),
            Cell(mean: quarter.rate, low: quarter.low, high: quarter.high, count: 1, of: 4),
          ]),
      ])
  }

  /// What a person reads after a sweep: every outcome, per policy, the mean and its interval, in the unit the
  /// row needs (minutes for detection, hours for mitigation here), intervals cut at 0, and on how many seeds.
  @Test func tableContent() {
    let table = Sweep.table(Self.handModel())
    let expected = """
      small: 4 seeds (5 to 8), 3,000 devices, 6 h simulated, 2 shards, rollsim 0.1.0
      scenario sha256 abababababab, flag state sha256 cdcdcdcdcdcd

                                                     big-bang                guarded
      devices failed                            812 (790–834)           2.25 (0–4.9)
      failed device-hours                 1,234 (1,100–1,369)          0.5 (0.1–0.9)
      devices needing manual recovery                 0 (0–0)                0 (0–0)
      time to detect                   17 (12–22) min, 3 of 4                  never
      time to mitigate                            2.5 (2–3) h          0.2 h, 1 of 2
      false-pause rate                     0% (0–49%), 0 of 4  25% (4.6–70%), 1 of 4

      mean (95% interval: Student's t, cut at 0); "3 of 4": the seeds a value is over (times: the seeds where a
      device failed and the policy reacted); false-pause rate: pauses, roll backs and kills of the release without
      its faults, with Wilson's interval.

      """
    #expect(table == expected)
  }

  @Test func pageDeclaresItsKindAndShowsTheSweep() {
    let model = Self.handModel()
    let page = Report.html(model)
    #expect(page == Report.html(model))
    #expect(page.contains("<meta name=\"rollsim-report\" content=\"sweep\">"))
    #expect(page.contains("<h1>small: sweep of 4 seeds</h1>"))
    #expect(page.contains("A small &lt;fleet&gt;."))
    // The table has a row per outcome and the same cells as stdout.
    #expect(page.contains("<td class=\"num\">17 (12–22) min, 3 of 4</td><td class=\"num\">never</td>"))
    // An interval chart per outcome, one row per policy; the false-pause rate has its own section.
    #expect(page.components(separatedBy: "<svg class=\"chart interval-chart\"").count - 1 == 6)
    #expect(page.components(separatedBy: "<g class=\"interval\">").count - 1 == 12)
    #expect(page.contains("<section id=\"false-pauses\">"))
    #expect(page.contains(String(repeating: "ab", count: 32)) && page.contains(String(repeating: "cd", count: 32)))
    #expect(page.contains("<dt>Shards</dt><dd>2</dd>") && page.contains("<dt>Seeds</dt><dd>4: 5 to 8</dd>"))
    #expect(!page.contains("id=\"over-time\"") && !page.contains("<script"))
    #expect(page.hasSuffix("</html>\n"))
  }
}

@Suite struct SweepFolderTests {
  /// What a sweep may replace: its own files, including those an earlier Rollsim wrote, and nothing else.
  @Test func recognisesOnlyRollsimsOwnFiles() {
    func owned(_ name: String, _ text: String) -> Bool { SweepFolder.isRollsims(name: name, Data(text.utf8)) }
    #expect(owned("sweep.json", "{\"kind\": \"rollsim sweep\", \"scenario\": \"x\"}"))
    #expect(owned("sweep.json", "{\"scenario\": \"x\", \"replications\": 4, \"policies\": []}"))  // before the kind
    #expect(!owned("sweep.json", "{\"scenario\": \"x\", \"replications\": 4, \"policies\": [], \"mine\": 1}"))
    #expect(!owned("sweep.json", "not json"))
    #expect(owned("report.html", "<!DOCTYPE html>\n<head>\n<meta name=\"rollsim-report\" content=\"sweep\">\n"))
    // A run's report is Rollsim's but not a sweep's: a sweep does not replace it.
    #expect(!owned("report.html", "<!DOCTYPE html>\n<head>\n<meta name=\"generator\" content=\"rollsim\">\n"))
    #expect(owned("sweep-shard-1-of-2.jsonl", "{\"kind\":\"rollsim sweep shard\"}\n{}\n"))
    let record = #"{"replication":0,"seed":5,"policy":"a","devicesFailed":0,"failedDeviceHours":0,"devicesNeedingManualRecovery":0,"timeToDetectSeconds":null,"timeToMitigateSeconds":null,"finalState":"completed","falseAlarm":false}"#
    #expect(owned("sweep-shard-1-of-2.jsonl", record + "\n"))
    #expect(!owned("sweep-shard-1-of-2.jsonl", "my notes\n"))
    #expect(!owned("notes.txt", "{\"kind\": \"rollsim sweep\"}"))
  }

  @Test func writesInPlaceAndKeepsOtherFiles() throws {
    try inTemporaryFolder { folder in
      let out = "\(folder)/sweep/deeper"
      let sweepFolder = SweepFolder(out)
      try sweepFolder.checkWritable(["sweep.json"])  // not there yet: its parent is checked
      try sweepFolder.write([("sweep.json", "{\"kind\": \"rollsim sweep\"}\n"), ("report.html", "x")])
      try Data("mine".utf8).write(to: URL(fileURLWithPath: "\(out)/notes.txt"))
      try sweepFolder.write([("sweep.json", "{\"kind\": \"rollsim sweep\", \"seeds\": 2}\n")])
      #expect(try FileManager.default.contentsOfDirectory(atPath: out).sorted() == ["notes.txt", "report.html", "sweep.json"])
      #expect(try String(contentsOfFile: "\(out)/sweep.json", encoding: .utf8) == "{\"kind\": \"rollsim sweep\", \"seeds\": 2}\n")
      // report.html ("x") is not a sweep's page: refused, and nothing else written either.
      #expect(throws: ScenarioError.self) { try sweepFolder.write([("sweep.json", "{}"), ("report.html", "y")]) }
      #expect(try String(contentsOfFile: "\(out)/sweep.json", encoding: .utf8) == "{\"kind\": \"rollsim sweep\", \"seeds\": 2}\n")
      // A file where the folder should be.
      #expect(throws: ScenarioError.self) { try SweepFolder("\(out)/notes.txt/sweep").checkWritable([]) }
    }
  }
}
