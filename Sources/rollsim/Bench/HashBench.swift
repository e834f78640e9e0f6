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

  @Option(help: "Number of keys, bench.group:0 ..< bench.group:N.") var keys = 1_000_000
  @Option(help: "Passes over the keys.") var passes = 10
  @Flag(help: "Print JSON.") var json = false

  func validate() throws {
    guard keys > 0 else { throw ValidationError("--keys must be at least 1") }
    guard passes > 0 else { throw ValidationError("--passes must be at least 1") }
  }

  func run() throws {
    // All keys back to back in one buffer, with their offsets.
    var bytes: [UInt8] = []
    var offsets: [Int] = [0]
    bytes.reserveCapacity(keys * 18)
    offsets.reserveCapacity(keys + 1)
    for index in 0..<keys {
      bytes.append(contentsOf: "bench.group:\(index)".utf8)
      offsets.append(bytes.count)
    }
    var checksum: UInt32 = 0
    let start = DispatchTime.now().uptimeNanoseconds
    bytes.withUnsafeBytes { buffer in
      offsets.withUnsafeBufferPointer { offsets in
        let base = buffer.baseAddress.unsafelyUnwrapped
        for _ in 0..<passes {
          var start = offsets[0]
          for index in 1...keys {
            let end = offsets[index]
            checksum &+= Murmur3.hash(UnsafeRawBufferPointer(start: base + start, count: end &- start), seed: 0)
            start = end
          }
        }
      }
    }
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

/// A flat list of named figures, printed as aligned text or as one JSON object.
struct BenchReport {
  enum Value {
    case int(Int)
    case number(Double)
    case text(String)
  }

  let name: String
  let fields: [(String, Value)]

  var json: String {
    let body = fields.map { key, value in
      let rendered: String
      switch value {
      case .int(let int): rendered = String(int)
      case .number(let number): rendered = number.isFinite ? String(format: "%.6g", number) : "null"
      case .text(let text): rendered = JSONText.quote(text)
      }
      return "\(JSONText.quote(key)):\(rendered)"
    }
    return "{" + body.joined(separator: ",") + "}"
  }

  var text: String {
    let width = fields.map(\.0.count).max() ?? 0
    return fields.map { key, value in
      let rendered: String
      switch value {
      case .int(let int): rendered = String(int)
      case .number(let number): rendered = String(format: "%.4g", number)
      case .text(let text): rendered = text
      }
      return "\(name) \(key.padding(toLength: width, withPad: " ", startingAt: 0))  \(rendered)"
    }.joined(separator: "\n")
  }
}
