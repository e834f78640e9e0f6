import Benchmark
import BenchmarkGate
import Simulation

/// The hold model on the kernel's event queue, the work of `rollsim bench des`: N events pending at all
/// times, each event popped schedules one more for the same key after an Exp(1 s) delay. The N events are
/// queued before measuring; each iteration pops and reschedules 1,000 events (the figures are per event).
/// Holding a steady state allocates nothing: allocations are gated strictly, time loosely.
///
/// Only `RadixEventQueue`, the Simulator's queue, is measured here. `EventHeap` at a million events is a
/// cache miss per level, and its time swung by 6.7x on the shared machine (memory contention), too much
/// for a CI gate; `rollsim bench des --queue heap` and scripts/benchmarks.sh still measure it.
let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration = .rollsimGate

  for pending in [10_000, 1_000_000] {
    let label = pending >= 1_000_000 ? "\(pending / 1_000_000)M" : "\(pending / 1_000)k"
    let radix = HoldModel<RadixEventQueue<UInt32>>(pending: pending)
    Benchmark("hold-radix-\(label)", configuration: .init()) { benchmark in
      radix.hold(events: benchmark.scaledIterations.count)
    } setup: {
      radix.prepare()
    }
  }
}

/// A queue holding `pending` events, and the stream its delays are drawn from. Filled by ``prepare()``,
/// in the benchmark's setup, so that only the benchmark being run builds its queue.
final class HoldModel<Queue: EventQueue<UInt32>>: @unchecked Sendable {
  let pending: Int
  var queue = Queue()
  var delays = RandomStreams(seed: 1).stream(entity: 0, purpose: StreamPurpose("bench.des.hold"))
  let mean = SimulatedTime.seconds(1)

  init(pending: Int) { self.pending = pending }

  /// Queues the pending events, then holds long enough (1,100 simulated seconds, at most 20 million
  /// events) that the buckets a radix queue uses in steady state exist: a radix queue keeps each bucket's
  /// largest capacity, so it allocates only the first time a bucket fills (every 17 simulated seconds a
  /// new level-4 bucket, until all 64 exist), and the measured iterations see the steady state.
  func prepare() {
    queue = Queue(minimumCapacity: pending)
    for index in 0..<pending {
      let key = UInt32(truncatingIfNeeded: index)
      queue.insert(key, at: delays.exponential(mean: mean), key: key)
    }
    hold(events: min(pending * 1_100, 20_000_000))
  }

  @inline(never)
  func hold(events: Int) {
    for _ in 0..<events {
      let event = queue.popMin().unsafelyUnwrapped  // the pending events are always queued
      queue.insert(event.payload, at: event.time + delays.exponential(mean: mean), key: event.key)
    }
  }
}
