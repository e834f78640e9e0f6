#!/usr/bin/env bash
# One rollsim command over the MPI ranks of a Slurm allocation, one rank per task: a sweep's replications
# or a capacity plan's devices spread over the ranks, rank 0 writes the files one process would.
#
#   sbatch --ntasks=R scripts/slurm/mpi-run.sh sweep SCENARIO.yaml --seeds 200 --out DIR
#   sbatch --ntasks=R scripts/slurm/mpi-run.sh capacity SCENARIO.yaml --out DIR
#
# The ranks are started by OpenMPI's mpirun, which reads the allocation (nodes and tasks) from Slurm; with
# LAUNCH=srun, by srun --mpi=pmix (Slurm's PMIx plugin; `srun --mpi=list` shows what a cluster has). rollsim
# is $ROLLSIM, or .build/release/rollsim in the folder sbatch ran in; it must be built with MPI
# (`rollsim ranks` says so, and `sbatch --ntasks=R scripts/slurm/mpi-run.sh ranks` checks the ranks).
#SBATCH --job-name=rollsim-mpi
#SBATCH --ntasks=4
#SBATCH --cpus-per-task=2
#SBATCH --output=rollsim-mpi-%j.out
set -euo pipefail

rollsim=${ROLLSIM:-${SLURM_SUBMIT_DIR:-.}/.build/release/rollsim}
case ${LAUNCH:-mpirun} in
  mpirun)
    options=()
    # OpenMPI refuses root unless told; a container's CI runs as root.
    [ "$(id -u)" -eq 0 ] && options+=(--allow-run-as-root)
    exec mpirun "${options[@]}" "$rollsim" "$@"
    ;;
  srun) exec srun --mpi=pmix "$rollsim" "$@" ;;
  *) echo "mpi-run.sh: LAUNCH must be mpirun or srun, not '$LAUNCH'" >&2; exit 2 ;;
esac
