/// What the program that started this process says about it: one of how many processes started together,
/// and which one. Read from the environment before MPI starts, so that a build without MPI can still tell
/// that it was started as one of several ranks (and refuse, rather than run as so many copies writing the
/// same files), and so that a process started alone never starts MPI at all.
public struct Launcher: Sendable, Equatable {
  /// How the launcher is named in messages: `mpirun`, `srun`, `an MPI launcher (PMI)`.
  public var name: String
  /// The processes started together (1: this one alone).
  public var processes: Int
  /// This one's index among them, 0-based: rank 0 is the one that speaks for all.
  public var index: Int

  /// A process started on its own.
  public static let alone = Launcher(name: "", processes: 1, index: 0)

  public init(name: String, processes: Int, index: Int) {
    self.name = name
    self.processes = processes
    self.index = index
  }

  /// Reads the variables launchers set for each process they start, the first that is there of: OpenMPI's
  /// mpirun (`OMPI_COMM_WORLD_SIZE`, `OMPI_COMM_WORLD_RANK`), a PMI launcher such as MPICH's Hydra or
  /// `srun --mpi=pmi2` (`PMI_SIZE`, `PMI_RANK`), and Slurm's srun (`SLURM_STEP_NUM_TASKS`, `SLURM_PROCID`
  /// of a step started by srun; a batch script's own environment has no `SLURM_STEP_NUM_TASKS`). A pair
  /// that is not two whole numbers with the index below the count is passed over.
  public init(environment: [String: String]) {
    let sources = [
      ("mpirun", "OMPI_COMM_WORLD_SIZE", "OMPI_COMM_WORLD_RANK"), ("an MPI launcher (PMI)", "PMI_SIZE", "PMI_RANK"),
      ("srun", "SLURM_STEP_NUM_TASKS", "SLURM_PROCID"),
    ]
    for (name, size, rank) in sources {
      guard let processes = environment[size].flatMap({ Int($0) }), let index = environment[rank].flatMap({ Int($0) }),
        processes >= 1, (0..<processes).contains(index)
      else { continue }
      self.init(name: name, processes: processes, index: index)
      return
    }
    self = .alone
  }

  /// Whether this process is one of several started together.
  public var isOneOfSeveral: Bool { processes > 1 }
}
