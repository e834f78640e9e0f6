import Partition
import Testing

/// One process alone: the exchanges give back what they were given, so the code that spreads work over
/// ranks is the same code a single process runs. The exchanges between several ranks are tested through
/// `rollsim ranks` under mpirun (Tests/rollsimTests/MPITests.swift).
@Suite struct RanksTests {
  @Test func aProcessStartedAloneIsTheOnlyRankAndStartsNoMPI() throws {
    let ranks = try Ranks.start(.alone)
    #expect(ranks.rank == 0 && ranks.count == 1 && ranks.isLeader)
    #expect(ranks.broadcast([1, 2, 3]) == [1, 2, 3])
    #expect(ranks.gather([4, 5]) == [[4, 5]])
    #expect(ranks.gather([]) == [[]])
    #expect(ranks.sum([1, -2, .max]) == [1, -2, .max])
    #expect(ranks.sumInRankOrder([0.1, -0.0]).map(\.bitPattern) == [0.1, -0.0].map(\.bitPattern))
    ranks.barrier()
    Ranks.finish()
  }
}
