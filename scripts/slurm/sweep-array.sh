#!/usr/bin/env bash
# One shard of a rollsim sweep per task of a Slurm job array: task I of K runs `rollsim sweep --shard I/K`,
# and every shard writes its own file into the one output folder (on a file system all nodes share).
#
#   sbatch --array=1-K scripts/slurm/sweep-array.sh SCENARIO.yaml --seeds N --out DIR [sweep options]
#   sbatch --dependency=afterok:ARRAY_JOB_ID scripts/slurm/sweep-merge.sh SCENARIO.yaml --seeds N --out DIR [same options]
#
# scripts/slurm/submit-sweep.sh does both. Paths are taken from the folder sbatch ran in (the job's working
# folder); rollsim is $ROLLSIM, or .build/release/rollsim there. The array must be one range of indices
# (--array=1-K, 0-15, also with %N to run at most N at once): each index is one shard.
#SBATCH --job-name=rollsim-sweep
#SBATCH --ntasks=1
#SBATCH --cpus-per-task=2
#SBATCH --output=rollsim-sweep-%A_%a.out
set -euo pipefail

if [ -z "${SLURM_ARRAY_TASK_ID:-}" ]; then
  echo "sweep-array.sh: not a task of a job array: submit it with sbatch --array=1-K" >&2
  exit 2
fi
first=$SLURM_ARRAY_TASK_MIN
count=$SLURM_ARRAY_TASK_COUNT
if [ $((SLURM_ARRAY_TASK_MAX - first + 1)) -ne "$count" ]; then
  echo "sweep-array.sh: the array's indices $first to $SLURM_ARRAY_TASK_MAX are not one range of $count (a step or a gap in" \
    "--array would lose shards): use --array=1-K" >&2
  exit 2
fi
shard=$((SLURM_ARRAY_TASK_ID - first + 1))
rollsim=${ROLLSIM:-${SLURM_SUBMIT_DIR:-.}/.build/release/rollsim}
exec "$rollsim" sweep "$@" --shard "$shard/$count"
