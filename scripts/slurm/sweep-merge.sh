#!/usr/bin/env bash
# Merges the shards of a sweep once every task of its job array succeeded: rollsim sweep --merge writes
# sweep.json and report.html beside the shard files (and refuses, naming them, shards missing or of
# another sweep).
#
#   sbatch --dependency=afterok:ARRAY_JOB_ID scripts/slurm/sweep-merge.sh SCENARIO.yaml --seeds N --out DIR [sweep options]
#
# Give it the arguments the array's tasks were given: the merge checks the shards were run with them.
#SBATCH --job-name=rollsim-sweep-merge
#SBATCH --ntasks=1
#SBATCH --cpus-per-task=1
#SBATCH --output=rollsim-sweep-merge-%j.out
set -euo pipefail

rollsim=${ROLLSIM:-${SLURM_SUBMIT_DIR:-.}/.build/release/rollsim}
exec "$rollsim" sweep "$@" --merge
