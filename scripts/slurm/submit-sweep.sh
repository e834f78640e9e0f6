#!/usr/bin/env bash
# Submits a sweep as a Slurm job array of K shards and its merge, which runs once all K succeeded.
#
#   scripts/slurm/submit-sweep.sh [--logs DIR] K SCENARIO.yaml --seeds N --out DIR [sweep options]
#
# Prints the array's job id and the merge's. --logs puts the jobs' output files in DIR (default: the
# folder sbatch runs in), never in the sweep's own folder, which holds only what rollsim writes. If a task
# fails, Slurm never runs the merge (the dependency cannot be met): run that shard again
# (rollsim sweep ... --shard I/K, with the same options), then scripts/slurm/sweep-merge.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

logs=.
if [ "${1:-}" = --logs ]; then
  logs=$2
  shift 2
fi
if [ $# -lt 2 ] || ! [[ $1 =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: $0 [--logs DIR] K SCENARIO.yaml --seeds N --out DIR [sweep options]" >&2
  exit 2
fi
shards=$1
shift
mkdir -p "$logs"

array=$(sbatch --parsable --array="1-$shards" --output="$logs/rollsim-sweep-%A_%a.out" "$here/sweep-array.sh" "$@")
array=${array%%;*}
merge=$(sbatch --parsable --dependency="afterok:$array" --output="$logs/rollsim-sweep-merge-%j.out" "$here/sweep-merge.sh" "$@")
merge=${merge%%;*}
echo "$array $merge"
