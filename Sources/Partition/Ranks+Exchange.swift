#if ROLLSIM_MPI
  import CMPI
#endif

/// The exchanges between ranks. Each is collective: every rank calls it, in the same order. Alone, each
/// gives back what it was given.
///
/// Results never depend on timing, and sums never on how MPI arranges its messages: whole numbers are
/// added exactly (in any order, the same total), and floating-point numbers in rank order on every rank.
extension Ranks {
  /// The most bytes one exchange carries: MPI counts in 32-bit integers.
  public static let largestExchange = Int(Int32.max)

  /// Waits until every rank is here.
  public func barrier() {
    guard usesMPI else { return }
    #if ROLLSIM_MPI
      check(MPI_Barrier(rollsim_mpi_comm_world()), "MPI_Barrier")
    #endif
  }

  /// `bytes` of rank `root`, on every rank (what the others pass is ignored).
  public func broadcast(_ bytes: [UInt8], from root: Int = 0) -> [UInt8] {
    guard usesMPI else { return bytes }
    precondition((0..<count).contains(root), "Ranks.broadcast: no rank \(root) of \(count)")
    #if ROLLSIM_MPI
      let world = rollsim_mpi_comm_world()
      var length = Int64(bytes.count)
      check(MPI_Bcast(&length, 1, rollsim_mpi_int64(), Int32(root), world), "MPI_Bcast")
      guard length <= Int64(Self.largestExchange) else {
        abort("cannot broadcast \(length) bytes: one exchange carries at most \(Self.largestExchange)", status: 1)
      }
      var buffer = rank == root ? bytes : [UInt8](repeating: 0, count: Int(length))
      if length > 0 {
        check(MPI_Bcast(&buffer, Int32(length), rollsim_mpi_byte(), Int32(root), world), "MPI_Bcast")
      }
      return buffer
    #else
      return bytes
    #endif
  }

  /// Every rank's `bytes`, in rank order, on the leader (rank 0); nil on the other ranks. The lengths may
  /// differ from rank to rank.
  public func gather(_ bytes: [UInt8]) -> [[UInt8]]? {
    guard usesMPI else { return [bytes] }
    #if ROLLSIM_MPI
      let world = rollsim_mpi_comm_world()
      var length = Int64(bytes.count)
      var lengths = [Int64](repeating: 0, count: isLeader ? count : 1)
      check(MPI_Gather(&length, 1, rollsim_mpi_int64(), &lengths, 1, rollsim_mpi_int64(), 0, world), "MPI_Gather")
      let total = isLeader ? lengths.reduce(0, +) : length
      guard total <= Int64(Self.largestExchange) else {
        abort("cannot gather \(total) bytes: one exchange carries at most \(Self.largestExchange)", status: 1)
      }
      guard isLeader else {
        check(
          MPI_Gatherv(bytes, Int32(length), rollsim_mpi_byte(), nil, nil, nil, rollsim_mpi_byte(), 0, world), "MPI_Gatherv")
        return nil
      }
      let counts = lengths.map { Int32($0) }
      var offsets = [Int32](repeating: 0, count: count)
      for index in 1..<Swift.max(1, count) { offsets[index] = offsets[index - 1] + counts[index - 1] }
      var buffer = [UInt8](repeating: 0, count: Int(total))
      check(
        MPI_Gatherv(bytes, Int32(length), rollsim_mpi_byte(), &buffer, counts, offsets, rollsim_mpi_byte(), 0, world),
        "MPI_Gatherv")
      return (0..<count).map { Array(buffer[Int(offsets[$0])..<Int(offsets[$0] + counts[$0])]) }
    #else
      return [bytes]
    #endif
  }

  /// The element-wise sum of every rank's `values`, on every rank. Exact (whole numbers: the same total in
  /// any order); a total beyond Int64 wraps around, as `&+` does. Every rank passes as many values.
  public func sum(_ values: [Int64]) -> [Int64] {
    guard usesMPI, !values.isEmpty else { return values }
    #if ROLLSIM_MPI
      guard values.count <= Self.largestExchange / 8 else {
        abort("cannot add \(values.count) numbers across ranks: one exchange carries at most \(Self.largestExchange / 8)", status: 1)
      }
      var total = [Int64](repeating: 0, count: values.count)
      check(
        MPI_Allreduce(values, &total, Int32(values.count), rollsim_mpi_int64(), rollsim_mpi_sum(), rollsim_mpi_comm_world()),
        "MPI_Allreduce")
      return total
    #else
      return values
    #endif
  }

  /// The element-wise sum of every rank's `values`, on every rank, added in rank order: rank 0's, plus rank
  /// 1's, and so on, so every rank gets the same bits and a run gets the same bits every time (MPI's own
  /// sum may add in an order that depends on the message pattern). The total depends on how the numbers
  /// were split over ranks, as any floating-point sum does on its order: for a total that does not depend
  /// on the number of ranks, give each rank's part in whole numbers (``sum(_:)-([Int64])``), or split the
  /// work into pieces that do not depend on it and add the pieces' totals in their own order. Every rank
  /// passes as many values.
  public func sumInRankOrder(_ values: [Double]) -> [Double] {
    guard usesMPI, !values.isEmpty else { return values }
    #if ROLLSIM_MPI
      guard values.count * count <= Self.largestExchange / 8 else {
        abort("cannot add \(values.count) numbers from \(count) ranks: one exchange carries at most \(Self.largestExchange / 8)", status: 1)
      }
      var all = [Double](repeating: 0, count: values.count * count)
      check(
        MPI_Allgather(values, Int32(values.count), rollsim_mpi_double(), &all, Int32(values.count), rollsim_mpi_double(), rollsim_mpi_comm_world()),
        "MPI_Allgather")
      var total = Array(all[0..<values.count])
      for other in 1..<count {
        let base = other * values.count
        for index in total.indices { total[index] += all[base + index] }
      }
      return total
    #else
      return values
    #endif
  }

  /// MPI's error handler on the world ends the run on a failed exchange before it returns; a code other
  /// than success would mean it did not, and the run cannot go on.
  private func check(_ code: Int32, _ call: String) {
    #if ROLLSIM_MPI
      if code != MPI_SUCCESS { abort("\(call) failed (MPI error \(code))", status: 1) }
    #endif
  }
}
