import Foundation
import Partition

extension Sweep {
  /// Runs shard `shard` of `shards` with its replications spread over `ranks`: rank r runs every R-th of
  /// them, starting with the r-th, and the leader gathers every rank's records. The leader gets the whole
  /// shard, its records in the order one process gives them (by replication, then in the policies'
  /// order), so it writes the same bytes; the other ranks get nil. Records travel as the lines of a shard
  /// file, whose numbers read back to the same bits.
  public static func run(
    _ scenario: LoadedScenario, seeds: Int, shard: Int, of shards: Int, options: RunOptions, over ranks: Ranks,
    progress: (@Sendable (String) -> Void)? = nil
  ) throws(ScenarioError) -> Shard? {
    guard ranks.count > 1 else {
      return try run(scenario, seeds: seeds, shard: shard, of: shards, options: options, progress: progress)
    }
    guard (1...maximumShards).contains(shards), (1...shards).contains(shard) else {
      throw ScenarioError(file: "", path: "--shard", "\(shard)/\(shards) is not I/K with 1 <= I <= K <= \(maximumShards)")
    }
    let header = Header(identity: try identity(of: scenario, seeds: seeds, options: options), shard: shard, shards: shards)
    let mine = header.replications.enumerated().filter { $0.offset % ranks.count == ranks.rank }.map(\.element)
    let records = try records(scenario, mine, of: header.identity, options: options, progress: progress)
    let text = records.map { json($0).compact + "\n" }.joined()
    guard let parts = ranks.gather(Array(text.utf8)) else { return nil }

    var all: [Record] = []
    let decoder = JSONDecoder()
    for (rank, part) in parts.enumerated() {
      for line in part.split(separator: UInt8(ascii: "\n")) {
        do {
          all.append(try decoder.decode(Record.self, from: Data(line)))
        } catch {
          throw ScenarioError(file: "", path: "", "rank \(rank) sent a record that does not read back: \(String(decoding: line, as: UTF8.self))")
        }
      }
    }
    let order = Dictionary(uniqueKeysWithValues: header.identity.policies.enumerated().map { ($1, $0) })
    all.sort { ($0.replication, order[$0.policy] ?? .max) < ($1.replication, order[$1.policy] ?? .max) }
    let gathered = Shard(header: header, records: all)
    // Every replication once, each with every policy: what a shard file is checked for when merged.
    try check(gathered, file: "the records gathered from \(ranks.count) ranks")
    return gathered
  }
}
