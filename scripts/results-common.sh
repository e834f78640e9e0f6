# Sourced by the scripts that write committed results (results.sh, verdicts.sh), with their name and their
# arguments: `. scripts/results-common.sh NAME "$@"`. Reads --check into `mode` (write or check), defines
# `say`, builds rollsim in release mode into `rollsim`, and makes a scratch folder `made`, removed on exit.
name=$1
shift
mode=write
case "${1:-}" in
  "") ;;
  --check) mode=check ;;
  *) echo "usage: scripts/$name.sh [--check]" >&2; exit 2 ;;
esac

say() { printf '%s: %s\n' "$name" "$*" >&2; }

say "building (release)"
swift build -c release 2>&1 | grep -Ev '^(\[[0-9]+/[0-9]+\]|Building for|Compiling|Write|Linking|Build complete)' >&2 || true
rollsim=.build/release/rollsim
test -x "$rollsim" || { say "the build failed"; exit 1; }

made=$(mktemp -d "${TMPDIR:-/tmp}/rollsim-$name.XXXXXX")
trap 'rm -rf "$made"' EXIT
