import Testing

@testable import FlagEngine

@Suite struct Murmur3Tests {
  // Expected values computed with mmh3 5.3.1 (PyPI, a C implementation of MurmurHash3 x86_32),
  // unsigned: mmh3.hash(s.encode(), seed, signed=False).
  static let vectors: [(String, UInt32, UInt32)] = [
    ("", 0, 0), ("a", 0, 1_009_084_850), ("ab", 0, 2_613_040_991), ("abc", 0, 3_017_643_002),
    ("abcd", 0, 1_139_631_978), ("hello", 0, 613_153_351), ("bench.group:0", 0, 2_870_330_554),
    ("bench.group:12345", 0, 1_528_131_241), ("Feature.flexibleRollout.userId.55:25", 0, 1_087_573_954),
    ("ünïcødé", 0, 2_210_329_462), ("hello", 86_028_157, 3_619_701_165), ("gr:123", 86_028_157, 2_174_464_533),
  ]

  @Test(arguments: vectors.indices)
  func matchesReferenceImplementation(_ index: Int) {
    let (text, seed, expected) = Self.vectors[index]
    #expect(Murmur3.hash(text, seed: seed) == expected)
  }

  @Test func incrementalHashingEqualsOneShotForEverySplit() {
    let text = "Feature.flexibleRollout.userId.55:25"
    let bytes = Array(text.utf8)
    for split in 0...bytes.count {
      var hasher = Murmur3.Hasher(seed: 0)
      bytes[..<split].withUnsafeBytes { hasher.combine($0) }
      bytes[split...].withUnsafeBytes { hasher.combine($0) }
      #expect(hasher.finalize() == 1_087_573_954, "split at \(split)")
    }
  }

  /// Rollout buckets hash a compiled `"groupId:"` prefix, then the sticky value in one pass.
  @Test func finishingFromAPrefixEqualsOneShotForEverySplit() {
    let bytes = Array("Feature.flexibleRollout.userId.55:25".utf8)
    for split in 0...bytes.count {
      var prefix = Murmur3.Hasher(seed: 0)
      bytes[..<split].withUnsafeBytes { prefix.combine($0) }
      let hash = bytes[split...].withUnsafeBytes { prefix.finalize(appending: $0) }
      #expect(hash == 1_087_573_954, "split at \(split)")
    }
  }

  @Test func decimalDigitsHashLikeTheirText() {
    for value in [0, 7, 10, 99, 1234, 1_000_000] {
      var hasher = Murmur3.Hasher(seed: 0)
      hasher.combine("g:")
      hasher.combine(decimal: value)
      #expect(hasher.finalize() == Murmur3.hash("g:\(value)"))
    }
  }
}
