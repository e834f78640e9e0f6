import Fleet
import Partition
import Telemetry

/// MPI ranks as the processes of one fleet run (FleetRun+Blocks.swift): the all-gather is a gather at the
/// leader and a broadcast of what it gathered, each rank's bytes prefixed with their length.
struct RankProcesses: RunProcesses {
  let ranks: Ranks

  var index: Int { ranks.rank }
  var count: Int { ranks.count }

  func allGather(_ bytes: [UInt8]) -> [[UInt8]] {
    guard ranks.count > 1 else { return [bytes] }
    var out = ExchangeWriter()
    if let all = ranks.gather(bytes) {
      out.integer(all.count)
      for part in all { out.blob(part) }
    }
    let shared = ranks.broadcast(out.bytes)
    var input = ExchangeReader(shared)
    let parts = input.integer() ?? 0
    return (0..<parts).map { _ in
      guard let part = input.blob() else { preconditionFailure("the leader broadcast bytes that are not the ranks' parts") }
      return part
    }
  }
}
