import Testing

@testable import Simulation

@Suite("Random streams")
struct RandomStreamTests {
  @Test("xoshiro256** matches the reference implementation")
  func xoshiroReference() {
    // The authors' xoshiro256starstar.c from the state {1, 2, 3, 4}.
    var stream = RandomStream(state: 1, 2, 3, 4)
    let expected: [UInt64] = [
      11520, 0, 1_509_978_240, 1_215_971_899_390_074_240, 1_216_172_134_540_287_360, 607_988_272_756_665_600,
    ]
    #expect((0..<6).map { _ in stream.next() } == expected)
  }

  @Test("SplitMix64 seeding matches the reference implementation")
  func splitMixReference() {
    // splitmix64.c from x = 1234567: its outputs, and xoshiro256** seeded with its first four.
    var state: UInt64 = 1_234_567
    let outputs = (0..<5).map { _ in RandomStream.splitMix64(&state) }
    #expect(
      outputs == [
        6_457_827_717_110_365_317, 3_203_168_211_198_807_973, 9_817_491_932_198_370_423,
        4_593_380_528_125_082_431, 16_408_922_859_458_223_821,
      ])
    var stream = RandomStream(splitMixSeed: 1_234_567)
    #expect(
      (0..<4).map { _ in stream.next() } == [
        3_504_822_795_582_309_479, 1_819_558_768_956_484_042, 1_250_851_346_055_027_673,
        16_940_231_675_099_994_102,
      ])
  }

  @Test("Derived streams are pinned: the same numbers on every platform and in every version")
  func pinnedDerivation() {
    var stream = RandomStreams(seed: 42).stream(entity: 7, purpose: StreamPurpose("fleet.sessions"))
    let first = (0..<3).map { _ in stream.next() }
    var again = RandomStream(seed: 42, entity: 7, purpose: StreamPurpose("fleet.sessions"), index: 0)
    #expect((0..<3).map { _ in again.next() } == first)
    #expect(StreamPurpose("fleet.sessions").rawValue == 0x5DCD_7B08_7D4C_FC0A)
    // Computed independently (a Python transcription of the derivation); a change here changes the
    // results of every simulation.
    #expect(first == [841_340_641_183_762_291, 4_837_242_822_997_834_881, 770_589_599_105_571_901])
  }

  @Test("A stream depends on its (seed, entity, purpose, index), not on which streams exist or their order")
  func orderIndependence() {
    let streams = RandomStreams(seed: 99)
    let purposes = [StreamPurpose("a"), StreamPurpose("b"), StreamPurpose(rawValue: 3)]
    // Draw 8 numbers from each of 300 streams, one at a time in round-robin, in creation order.
    var keys: [(UInt64, StreamPurpose, UInt64)] = []
    for entity in 0..<50 as Range<UInt64> {
      for purpose in purposes {
        for index in 0..<2 as Range<UInt64> { keys.append((entity, purpose, index)) }
      }
    }
    var live = keys.map { streams.stream(entity: $0.0, purpose: $0.1, index: $0.2) }
    var interleaved = Array(repeating: [UInt64](), count: keys.count)
    for _ in 0..<8 {
      for position in live.indices { interleaved[position].append(live[position].next()) }
    }
    // The same streams created in reverse order, each drained alone, with unrelated streams in between.
    var alone = Array(repeating: [UInt64](), count: keys.count)
    for position in keys.indices.reversed() {
      var noise = streams.stream(entity: UInt64(position) + 1_000, purpose: purposes[0])
      _ = noise.next()
      var stream = streams.stream(entity: keys[position].0, purpose: keys[position].1, index: keys[position].2)
      alone[position] = (0..<8).map { _ in stream.next() }
    }
    #expect(interleaved == alone)
    // And they are all different from one another.
    #expect(Set(interleaved.map { $0[0] }).count == keys.count)
  }

  @Test("Streams that differ in one component are different")
  func componentsMatter() {
    func first(_ seed: UInt64, _ entity: UInt64, _ purpose: UInt64, _ index: UInt64) -> UInt64 {
      var stream = RandomStream(seed: seed, entity: entity, purpose: StreamPurpose(rawValue: purpose), index: index)
      return stream.next()
    }
    let base = first(1, 2, 3, 4)
    #expect(first(0, 2, 3, 4) != base)
    #expect(first(1, 3, 3, 4) != base)
    #expect(first(1, 2, 4, 4) != base)
    #expect(first(1, 2, 3, 5) != base)
    // Swapping components changes the stream too.
    #expect(first(1, 3, 2, 4) != base)
    #expect(first(2, 1, 3, 4) != base)
  }

  @Test("Neighbouring entities give uncorrelated first draws")
  func neighboursUncorrelated() {
    // The fraction of set bits in (draw of entity e) XOR (draw of entity e + 1) should be about one half.
    var ones = 0
    let pairs = 10_000
    for entity in 0..<UInt64(pairs) {
      var a = RandomStream(seed: 5, entity: entity, purpose: StreamPurpose("x"))
      var b = RandomStream(seed: 5, entity: entity + 1, purpose: StreamPurpose("x"))
      ones += (a.next() ^ b.next()).nonzeroBitCount
    }
    // 640 000 fair bits: standard deviation 400; allow 6 of them.
    #expect(abs(ones - 32 * pairs) < 2_400)
  }

  @Test("Purposes hash their names with FNV-1a")
  func purposeNames() {
    #expect(StreamPurpose("").rawValue == 0xCBF2_9CE4_8422_2325)
    #expect(StreamPurpose("a").rawValue == 0xAF63_DC4C_8601_EC8C)
    #expect(StreamPurpose("foobar").rawValue == 0x8594_4171_F739_67E8)
    #expect(StreamPurpose("fleet.sessions") != StreamPurpose("fleet.faults"))
  }
}
