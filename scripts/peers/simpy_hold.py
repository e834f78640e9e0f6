#!/usr/bin/env python3
"""The hold model in SimPy 4.1.2, the peer of `rollsim bench des`.

N processes each wait an exponential delay of mean 1 (one simulated second), over and over, so that N
timeouts are always pending; every event handled schedules exactly one more. The N processes are
started and their first timeouts scheduled before timing starts; then E events are handled one
`env.step()` at a time (what `env.run()` does inside) and timed.

    .venv/bin/python scripts/peers/simpy_hold.py --pending 10000 --events 1000000 --seed 1 --json
"""

import argparse
import json
import random
import sys
import time

import simpy


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pending", type=int, default=1_000_000, help="pending events (processes)")
    parser.add_argument("--events", type=int, default=1_000_000, help="events handled while timed")
    parser.add_argument("--seed", type=int, default=1, help="seed of Python's random.Random")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args()
    if args.pending < 1 or args.events < 1:
        parser.error("--pending and --events must be at least 1")

    env = simpy.Environment()
    draw = random.Random(args.seed).expovariate

    def hold(env: simpy.Environment):
        timeout = env.timeout
        while True:
            yield timeout(draw(1.0))

    for _ in range(args.pending):
        env.process(hold(env))
    step = env.step
    for _ in range(args.pending):  # each process starts and schedules its first timeout
        step()
    assert len(env._queue) == args.pending

    start = time.perf_counter_ns()
    for _ in range(args.events):
        step()
    elapsed = time.perf_counter_ns() - start

    fields = {
        "pending": args.pending,
        "events": args.events,
        "eventsPerSecond": args.events / elapsed * 1e9,
        "nsPerEvent": elapsed / args.events,
        "queue": f"simpy-{simpy.__version__}-heapq",
        "simulatedSeconds": env.now,
    }
    if args.json:
        print(json.dumps(fields, separators=(",", ":")))
    else:
        width = max(len(key) for key in fields)
        for key, value in fields.items():
            shown = f"{value:.4g}" if isinstance(value, float) else value
            print(f"simpy {key.ljust(width)}  {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
