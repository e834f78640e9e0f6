import Partition
import Testing

/// What a launcher's environment says; the variable names are those OpenMPI's mpirun, PMI launchers
/// (MPICH's Hydra, srun --mpi=pmi2) and Slurm's srun set for each process they start.
@Suite struct LauncherTests {
  @Test func aProcessStartedAloneIsOneOfOne() {
    #expect(Launcher(environment: [:]) == .alone)
    #expect(Launcher(environment: ["PATH": "/usr/bin"]).isOneOfSeveral == false)
  }

  @Test func readsMpirunsVariables() {
    let launcher = Launcher(environment: ["OMPI_COMM_WORLD_SIZE": "3", "OMPI_COMM_WORLD_RANK": "2"])
    #expect(launcher == Launcher(name: "mpirun", processes: 3, index: 2))
    #expect(launcher.isOneOfSeveral)
  }

  @Test func readsPMIAndSrunVariablesInThatOrder() {
    #expect(Launcher(environment: ["PMI_SIZE": "4", "PMI_RANK": "0"]) == Launcher(name: "an MPI launcher (PMI)", processes: 4, index: 0))
    #expect(Launcher(environment: ["SLURM_STEP_NUM_TASKS": "2", "SLURM_PROCID": "1"]) == Launcher(name: "srun", processes: 2, index: 1))
    // mpirun inside a Slurm allocation: the step's variables describe mpirun's own step, not the ranks.
    let inside = Launcher(environment: [
      "SLURM_STEP_NUM_TASKS": "1", "SLURM_PROCID": "0", "OMPI_COMM_WORLD_SIZE": "4", "OMPI_COMM_WORLD_RANK": "3",
    ])
    #expect(inside == Launcher(name: "mpirun", processes: 4, index: 3))
  }

  @Test func aBatchScriptAloneIsNotSeveralRanks() {
    // What a job array's task sees (sbatch's environment, no step started by srun): one process.
    let task = Launcher(environment: ["SLURM_NTASKS": "4", "SLURM_PROCID": "0", "SLURM_ARRAY_TASK_ID": "2", "SLURM_JOB_ID": "7"])
    #expect(task == .alone)
  }

  @Test func passesOverVariablesThatAreNotARankOfACount() {
    #expect(Launcher(environment: ["OMPI_COMM_WORLD_SIZE": "two", "OMPI_COMM_WORLD_RANK": "0"]) == .alone)
    #expect(Launcher(environment: ["OMPI_COMM_WORLD_SIZE": "2", "OMPI_COMM_WORLD_RANK": "2"]) == .alone)
    #expect(Launcher(environment: ["OMPI_COMM_WORLD_SIZE": "0", "OMPI_COMM_WORLD_RANK": "0"]) == .alone)
    #expect(Launcher(environment: ["OMPI_COMM_WORLD_SIZE": "2"]) == .alone)
    // A broken first source does not hide a good second one.
    #expect(Launcher(environment: ["OMPI_COMM_WORLD_SIZE": "x", "PMI_SIZE": "2", "PMI_RANK": "1"]).processes == 2)
  }
}
