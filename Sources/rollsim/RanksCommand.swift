import ArgumentParser
import Foundation
import Partition

struct RanksCommand: ParsableCommand, SpreadsOverRanks {
  static let configuration = CommandConfiguration(
    commandName: "ranks",
    abstract: "Check the MPI ranks rollsim runs as: where each is, and that exchanges between them arrive intact.",
    discussion: """
      Start it the way a sweep or a capacity plan will be started (mpirun -np 4 rollsim ranks; in a Slurm \
      allocation, mpirun rollsim ranks or srun --mpi=pmix rollsim ranks). Rank 0 prints how many ranks \
      there are, which launcher started them and which MPI library joined them, each rank's host and \
      process id, and whether every exchange rollsim uses arrived as sent: a broadcast, a gather of \
      different lengths, sums of whole numbers and sums in rank order, checked on every rank. Exits with \
      1 when an exchange arrived wrong, and 2 when this rollsim was built without MPI but started as \
      several ranks. Started alone, it says whether this build has MPI.
      """
  )

  func run() throws {
    let ranks = try Ranks.start()
    let launcher = Launcher(environment: ProcessInfo.processInfo.environment)
    let whereabouts = ranks.gather(Array("\(ProcessInfo.processInfo.hostName), pid \(getpid())".utf8))
    let problems = ranks.gather(Array(Self.exchangeProblems(ranks).joined(separator: "\n").utf8))
    guard let whereabouts, let problems else { return }

    let library = Ranks.libraryVersion.map { ", \($0)" } ?? ""
    if ranks.count == 1 {
      print("1 rank: started alone, so MPI does not start; this rollsim is built \(Ranks.builtWithMPI ? "with MPI\(library)" : "without MPI")")
    } else {
      print("\(ranks.count) ranks, started by \(launcher.name)\(library)")
    }
    for (rank, text) in whereabouts.enumerated() { print("rank \(rank): \(String(decoding: text, as: UTF8.self))") }
    let found = problems.enumerated().flatMap { rank, text in
      String(decoding: text, as: UTF8.self).split(separator: "\n").map { "rank \(rank): \($0)" }
    }
    guard found.isEmpty else {
      throw Failure(message: "exchanges between ranks arrived wrong:\n" + found.joined(separator: "\n"), status: 1)
    }
    print("exchanges: a broadcast, a gather of different lengths, exact sums and sums in rank order arrived as sent on every rank")
  }

  /// Runs each exchange with contents every rank can predict, and says what arrived wrong on this rank.
  static func exchangeProblems(_ ranks: Ranks) -> [String] {
    var problems: [String] = []
    let count = ranks.count
    // A broadcast from the last rank, large enough to be cut into several messages.
    let root = count - 1
    let pattern = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ root) }
    if ranks.broadcast(ranks.rank == root ? pattern : [], from: root) != pattern {
      problems.append("the broadcast from rank \(root) arrived different")
    }
    // Rank r sends r * 1000 + 1 bytes of value r.
    let piece = { (rank: Int) in [UInt8](repeating: UInt8(truncatingIfNeeded: rank), count: rank * 1000 + 1) }
    if let pieces = ranks.gather(piece(ranks.rank)), pieces != (0..<count).map(piece) {
      problems.append("the gather arrived different: lengths \(pieces.map(\.count)), expected \((0..<count).map { piece($0).count })")
    }
    // Whole numbers: 1 + 2 + ... + R, large values, negative values.
    let rank = Int64(ranks.rank)
    let r = Int64(count)
    let sums = ranks.sum([rank + 1, rank << 40, -rank, .max / r])
    let expected: [Int64] = [r * (r + 1) / 2, (r * (r - 1) / 2) << 40, -(r * (r - 1) / 2), (.max / r) * r]
    if sums != expected { problems.append("the exact sums arrived as \(sums), expected \(expected)") }
    // Floating-point numbers whose total depends on the order they are added in: rank 0's 1e16, then 1.0
    // from each other rank, each lost in the rounding when added one at a time.
    let values = (0..<count).map { $0 == 0 ? [1e16, 0.1] : [1.0, 0.1 * Double($0 + 1)] }
    var inOrder = values[0]
    for other in values.dropFirst() { for index in inOrder.indices { inOrder[index] += other[index] } }
    let added = ranks.sumInRankOrder(values[ranks.rank])
    if added.map(\.bitPattern) != inOrder.map(\.bitPattern) {
      problems.append("the sums in rank order arrived as \(added), expected \(inOrder)")
    }
    return problems
  }
}
