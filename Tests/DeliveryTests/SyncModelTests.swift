import Simulation
import Testing

@testable import Delivery

@Suite struct SyncModelTests {
  /// First-seen delays of many (device, state) pairs.
  func delays(_ model: SyncModel, count: Int = 40_000, edges: Int = 40_000) -> [Double] {
    (0..<count).map { index in
      var random = RandomStream(seed: 9, entity: UInt64(index), purpose: StreamPurpose("test.sync"))
      var edge = RandomStream(seed: 9, entity: UInt64(index % edges), purpose: StreamPurpose("test.edge"))
      return model.firstSeenDelay(&random, edgeRandom: &edge)
    }
  }

  @Test func pollingEvery15sIsUniformOver15sPlusNetwork() {
    let sample = delays(.polling(interval: .seconds(15), jitter: 0, network: .fixed(0.2))).sorted()
    #expect(sample.first! >= 0.2 && sample.last! <= 15.2)
    // Deciles of a uniform over 0.2...15.2 (Kolmogorov–Smirnov bound at n = 40,000 and alpha 1e-6: 0.013).
    for decile in 1..<10 {
      let value = sample[sample.count * decile / 10]
      #expect(abs((value - 0.2) / 15 - Double(decile) / 10) < 0.013, "decile \(decile): \(value)")
    }
  }

  @Test func jitterWidensTheInterval() {
    let sample = delays(.polling(interval: .seconds(15), jitter: 0.2, network: .fixed(0)))
    #expect(sample.max()! > 15)
    #expect(sample.max()! <= 18)
    #expect(abs(sample.reduce(0, +) / Double(sample.count) - 7.5) < 0.1)
  }

  @Test func streamingFollowsItsLatency() {
    let sample = delays(.streaming(latency: .logNormal(median: 0.8, sigma: 0.5))).sorted()
    #expect(abs(sample[sample.count / 2] - 0.8) < 0.02)
  }

  @Test func edgeCachesAddTheirRefresh() {
    let sample = delays(.edge(.init(interval: .seconds(15), refresh: .seconds(60), edgesPerRegion: 4, network: .fixed(0))))
    // Uniform refresh wait (mean 30 s) plus uniform poll wait (mean 7.5 s).
    #expect(abs(sample.reduce(0, +) / Double(sample.count) - 37.5) < 0.5)
    #expect(sample.max()! <= 75)
  }

  @Test func devicesBehindOneEdgeShareItsRefresh() {
    // With one edge, every device waits for the same refresh: delays differ only by the poll wait.
    let sample = delays(.edge(.init(interval: .seconds(15), refresh: .seconds(60), edgesPerRegion: 1, network: .fixed(0))), count: 5000, edges: 1)
    #expect(sample.max()! - sample.min()! <= 15)
  }

  /// Jitter on an edge's pollers and on its refresh keeps the mean wait (half of each period) and widens
  /// its reach; without jitter a device draws what it always drew.
  @Test func edgeJitterKeepsTheMeanAndWidensTheReach() {
    let plain = SyncModel.edge(.init(interval: .seconds(15), refresh: .seconds(60), edgesPerRegion: 4, network: .fixed(0)))
    let jittered = SyncModel.edge(
      .init(interval: .seconds(15), jitter: 0.5, refresh: .seconds(60), refreshJitter: 0.5, edgesPerRegion: 4, network: .fixed(0)))
    let a = delays(plain)
    let b = delays(jittered)
    #expect(abs(b.reduce(0, +) / Double(b.count) - 37.5) < 0.6)
    #expect(b.max()! > 80 && b.max()! <= 112.5, "up to 1.5 × (60 + 15)")
    #expect(a.max()! <= 75)
    // The sampler of a fleet run draws the same delays as the model.
    let sampler = SyncSampler(jittered)
    for index in 0..<100 {
      var random = RandomStream(seed: 9, entity: UInt64(index), purpose: StreamPurpose("test.sync"))
      var edge = RandomStream(seed: 9, entity: UInt64(index), purpose: StreamPurpose("test.edge"))
      #expect(sampler.delay(&random, edgeRandom: &edge) == b[index])
    }
  }
}
