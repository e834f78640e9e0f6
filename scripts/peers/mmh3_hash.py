#!/usr/bin/env python3
"""mmh3 (PyPI) on the work of `rollsim bench hash`: MurmurHash3 x86_32, seed 0, keys bench.group:<i>.

The keys are built as bytes objects before timing starts; then P passes hash every key with
`mmh3.hash(key, 0, signed=False)` and are timed. The checksum is the sum of every hash over all passes,
wrapping at 2^32, so it must equal Rollsim's and the C reference's.

    .venv/bin/python scripts/peers/mmh3_hash.py --keys 1000000 --passes 2 --json
"""

import argparse
import json
import sys
import time
from importlib.metadata import version

import mmh3


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", type=int, default=1_000_000, help="keys bench.group:0 ..< bench.group:N")
    parser.add_argument("--passes", type=int, default=2, help="passes over the keys")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args()
    if args.keys < 1 or args.passes < 1:
        parser.error("--keys and --passes must be at least 1")

    keys = [f"bench.group:{i}".encode() for i in range(args.keys)]
    hash32 = mmh3.hash
    checksum = 0
    start = time.perf_counter_ns()
    for _ in range(args.passes):
        total = 0
        for key in keys:
            total += hash32(key, 0, signed=False)
        checksum += total
    elapsed = time.perf_counter_ns() - start
    hashes = args.keys * args.passes

    fields = {
        "keys": args.keys,
        "passes": args.passes,
        "nsPerHash": elapsed / hashes,
        "hashesPerSecond": hashes / elapsed * 1e9,
        "checksum": checksum % 2**32,
        "implementation": f"mmh3-{version('mmh3')}",
    }
    if args.json:
        print(json.dumps(fields, separators=(",", ":")))
    else:
        width = max(len(key) for key in fields)
        for key, value in fields.items():
            shown = f"{value:.4g}" if isinstance(value, float) else value
            print(f"mmh3 {key.ljust(width)}  {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
