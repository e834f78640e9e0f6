import Foundation

#if ROLLSIM_MPI
  import CMPI
#endif

/// The processes of one run: this one and, when a launcher (mpirun, srun) started several, its peers, as
/// MPI ranks 0..<count. Rank 0, the leader, gathers what the others computed and writes the outputs.
///
/// A process started alone is one rank and never starts MPI; every exchange is then the identity, so the
/// code that spreads work over ranks is the same code that runs in one process. MPI is called only from
/// the thread that started it (`MPI_THREAD_FUNNELED`). Every exchange is collective: each rank calls it,
/// in the same order, with arrays of the same length where a length is asked for. A rank that fails in
/// the middle of the work calls ``abort(_:status:)``, which ends every rank; a rank that dies ends the run
/// too (mpirun's doing), so the leader never writes half of what the others did.
public struct Ranks: Sendable {
  /// This process's rank, 0-based.
  public let rank: Int
  /// How many ranks the run has.
  public let count: Int
  /// Whether MPI carries the exchanges (false: one process alone).
  let usesMPI: Bool

  /// One process alone.
  public static let single = Ranks(rank: 0, count: 1, usesMPI: false)

  /// The rank that gathers and writes.
  public var isLeader: Bool { rank == 0 }

  /// Whether this build can run as several ranks (see Package.swift: `ROLLSIM_MPI`).
  #if ROLLSIM_MPI
    public static let builtWithMPI = true
  #else
    public static let builtWithMPI = false
  #endif

  /// Joins the ranks `launcher` started. Started alone, this is ``single`` and MPI does not start. Started
  /// as one of several, MPI starts (`MPI_Init_thread`), and the ranks it joins must be the processes the
  /// launcher started: srun without an MPI plugin starts processes that MPI sees as one rank each, which
  /// would run as so many copies of the whole run. Refused, with a message for the person who started it,
  /// when this build has no MPI or the ranks do not match.
  public static func start(_ launcher: Launcher) throws(PartitionError) -> Ranks {
    guard launcher.isOneOfSeveral else { return .single }
    #if ROLLSIM_MPI
      var provided: Int32 = 0
      guard MPI_Init_thread(nil, nil, rollsim_mpi_thread_funneled(), &provided) == MPI_SUCCESS else {
        throw PartitionError("MPI did not start (MPI_Init_thread failed) in one of the \(launcher.processes) processes \(launcher.name) started")
      }
      var rank: Int32 = 0
      var size: Int32 = 0
      MPI_Comm_rank(rollsim_mpi_comm_world(), &rank)
      MPI_Comm_size(rollsim_mpi_comm_world(), &size)
      guard Int(size) == launcher.processes else {
        finish()
        throw PartitionError(
          "\(launcher.name) started \(launcher.processes) processes, but MPI joined this one into \(size) rank\(size == 1 ? "" : "s"): "
            + (launcher.name == "srun"
              ? "start the ranks with mpirun inside the allocation, or with srun --mpi=pmix (see scripts/slurm/mpi-run.sh)"
              : "the launcher and the MPI library rollsim was built with (\(libraryVersion ?? "OpenMPI")) do not belong together"))
      }
      return Ranks(rank: Int(rank), count: Int(size), usesMPI: true)
    #else
      throw PartitionError(
        "this rollsim was built without MPI, so it cannot run as one of the \(launcher.processes) ranks \(launcher.name) started "
          + "(they would all do the whole run and write the same files): run it as one process, or build it with OpenMPI "
          + "(scripts/bootstrap.sh installs libopenmpi-dev; see ROLLSIM_MPI in Package.swift)")
    #endif
  }

  /// Ends MPI, if this process started it and has not ended it yet; every rank calls this before it exits.
  public static func finish() {
    #if ROLLSIM_MPI
      var initialized: Int32 = 0
      var finalized: Int32 = 0
      MPI_Initialized(&initialized)
      MPI_Finalized(&finalized)
      if initialized != 0 && finalized == 0 { MPI_Finalize() }
    #endif
  }

  /// The MPI library's own name and version (`Open MPI v4.1.4`), or nil in a
  /// build without MPI.
  public static var libraryVersion: String? {
    #if ROLLSIM_MPI
      var buffer = [CChar](repeating: 0, count: Int(rollsim_mpi_max_library_version_string()) + 1)
      var length: Int32 = 0
      guard MPI_Get_library_version(&buffer, &length) == MPI_SUCCESS else { return nil }
      let text = String(decoding: buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
      // The first line up to its first comma: `Open MPI v4.1.4`.
      return text.split(separator: "\n").first?.split(separator: ",").first.map { String($0).trimmingCharacters(in: .whitespaces) }
    #else
      return nil
    #endif
  }

  /// Ends the whole run from this rank: writes `message` to stderr, naming the rank, and has MPI end every
  /// rank (`MPI_Abort`), so that no rank waits for this one and the leader writes nothing. Alone, it exits.
  public func abort(_ message: String, status: Int32) -> Never {
    let prefix = count > 1 ? "rollsim: rank \(rank) of \(count): " : "rollsim: "
    FileHandle.standardError.write(Data((prefix + message + "\n").utf8))
    #if ROLLSIM_MPI
      if usesMPI { MPI_Abort(rollsim_mpi_comm_world(), status) }
    #endif
    exit(status)
  }
}

/// A refusal to run as the ranks a launcher started: the message says why and what to do instead.
public struct PartitionError: Error, CustomStringConvertible, Equatable {
  public let message: String

  public init(_ message: String) { self.message = message }

  public var description: String { message }
}
