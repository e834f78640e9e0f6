import Benchmark
import BenchmarkGate
import FlagEngine

/// MurmurHash3 x86_32 (seed 0) over the keys `bench.group:<i>`, the work of `rollsim bench hash`.
///
/// The keys are laid out back to back in one buffer before measuring; each iteration hashes 1,000 keys in
/// turn (the figures are per hash). Allocations are gated strictly (hashing allocates nothing), time
/// loosely: a shared CI machine is noisy.
let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration = .rollsimGate

  let keys = KeyBuffer(count: 100_000)
  Benchmark("murmur3-x86_32") { benchmark in
    var checksum: UInt32 = 0
    var index = keys.next
    keys.bytes.withUnsafeBytes { buffer in
      for _ in benchmark.scaledIterations {
        let key = UnsafeRawBufferPointer(rebasing: buffer[keys.offsets[index]..<keys.offsets[index + 1]])
        checksum &+= Murmur3.hash(key, seed: 0)
        index += 1
        if index == keys.count { index = 0 }
      }
    }
    keys.next = index
    blackHole(checksum)
  }
}

/// The keys `bench.group:0 ..< bench.group:count` back to back, with their offsets.
final class KeyBuffer: @unchecked Sendable {
  let count: Int
  let bytes: [UInt8]
  let offsets: [Int]
  /// Where the next iteration starts (iterations run one after another on one thread).
  var next = 0

  init(count: Int) {
    var bytes: [UInt8] = []
    var offsets = [0]
    for index in 0..<count {
      bytes.append(contentsOf: "bench.group:\(index)".utf8)
      offsets.append(bytes.count)
    }
    self.count = count
    self.bytes = bytes
    self.offsets = offsets
  }
}
