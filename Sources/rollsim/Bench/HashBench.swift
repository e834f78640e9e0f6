import ArgumentParser
import FlagEngine
import Foundation

struct HashBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "hash",
    abstract: "MurmurHash3 x86_32 (seed 0) over the keys bench.group:<i>.",
    discussion: """
      The keys are laid out in memory first; only hashing is timed. The checksum is the sum of every \
      hash computed (all passes), wrapping at 2^32, so another implementation can be checked against it.
      """
  )

  @Option(
    parsing: .unconditional, help: ArgumentHelp("Number of keys, bench.group:0 ..< bench.group:N (1...100000000).", valueName: "N"),
    transform: ArgumentRange.whole(1...100_000_000))
  var keys = 1_000_000
  @Option(parsing: .unconditional, help: "Passes over the keys (1...10000).", transform: ArgumentRange.whole(1...10_000))
  var passes = 10
  @Flag(help: "Print JSON.") var json = false

  func run() throws {
    let workload = HashWorkload(keys: keys)
    var checksum: UInt32 = 0
    let start = DispatchTime.now().uptimeNanoseconds
    for _ in 0..<passes { checksum &+= workload.hashAll() }
    let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start)
    let hashes = Double(keys * passes)
    let report = BenchReport(
      name: "hash",
      fields: [
        ("keys", .int(keys)), ("passes", .int(passes)), ("nsPerHash", .number(elapsed / hashes)),
        ("hashesPerSecond", .number(hashes / elapsed * 1e9)), ("checksum", .int(Int(checksum))),
      ])
    print(json ? report.json : report.text)
  }
}

/// The keys `bench.group:0 ..< bench.group:N` back to back in one buffer, with their offsets, and the loop
/// that hashes them all (`rollsim bench hash`, and the hash side of `rollsim bench eval --against-hash`).
struct HashWorkload {
  let keys: Int
  let bytes: [UInt8]
  let offsets: [Int]

  init(keys: Int) {
    var bytes: [UInt8] = []
    var offsets: [Int] = [0]
    bytes.reserveCapacity(keys * 18)
    offsets.reserveCapacity(keys + 1)
    for index in 0..<keys {
      bytes.append(contentsOf: "bench.group:\(index)".utf8)
      offsets.append(bytes.count)
    }
    self.keys = keys
    self.bytes = bytes
    self.offsets = offsets
  }

  /// One pass over the keys: the sum of their hashes, wrapping.
  @inline(never)
  func hashAll() -> UInt32 {
    var checksum: UInt32 = 0
    bytes.withUnsafeBytes { buffer in
      offsets.withUnsafeBufferPointer { offsets in
        let base = buffer.baseAddress.unsafelyUnwrapped
        var start = offsets[0]
        for index in 1...keys {
          let end = offsets[index]
          checksum &+= Murmur3.hash(UnsafeRawBufferPointer(start: base + start, count: end &- start), seed: 0)
          start = end
        }
      }
    }
    return checksum
  }
}
