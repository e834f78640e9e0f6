import Simulation
import Telemetry
import Testing

@testable import Delivery

@Suite struct ServerTests {
  /// Unleash Edge's benchmarking page (https://github.com/Unleash/unleash-edge/blob/main/docs/benchmarking.md):
  /// 39,000 frontend requests/s on 1 CPU, 100,020 on 4, 141,090 on 8 for the small state; less than linear.
  @Test func throughputIsThePublishedTable() {
    let small = EdgeBenchmark.small
    #expect(EdgeBenchmark.rate(.frontend, dataset: small, cores: 1) == 39_000)
    #expect(EdgeBenchmark.rate(.frontend, dataset: small, cores: 4) == 100_020)
    #expect(EdgeBenchmark.rate(.frontend, dataset: small, cores: 8) == 141_090)
    #expect(EdgeBenchmark.rate(.clientFeatures, dataset: EdgeBenchmark.large, cores: 1) == 3_236)
    // Between rows, linearly: 2 CPUs lie a third of the way from 1 to 4.
    #expect(abs(EdgeBenchmark.rate(.frontend, dataset: small, cores: 2) - (39_000 + (100_020 - 39_000) / 3)) < 1e-6)
    for cores in [2.0, 4, 6, 8] {
      #expect(EdgeBenchmark.rate(.frontend, dataset: small, cores: cores) / cores < 39_000, "less than linear at \(cores) CPUs")
    }
  }

  /// The row is chosen by the size of the answer for client features and by the number of flags for the
  /// frontend endpoint.
  @Test func theRowFollowsPayloadSizeAndFlagCount() {
    #expect(EdgeBenchmark.nearest(.clientFeatures, flags: 5, bytes: 80_000) == EdgeBenchmark.large)
    #expect(EdgeBenchmark.nearest(.frontend, flags: 5, bytes: 80_000) == EdgeBenchmark.small)
    #expect(EdgeBenchmark.nearest(.clientFeatures, flags: 400, bytes: 3_000) == EdgeBenchmark.small)
    #expect(EdgeBenchmark.nearest(.frontend, flags: 400, bytes: 3_000) == EdgeBenchmark.large)
    // A large state: a 200 costs four times a 304 at 1 CPU (3,236 against 32,360 client-features requests/s).
    let cost = RequestCost.edge(cores: 1, flags: 350, stateBytes: 100_000)
    #expect(abs(cost(.full) / cost(.notModified) - 32_360.0 / 3_236) < 1e-9)
    #expect(cost(.connect) == cost(.full))
    #expect(RequestCost.flat(40)(.full) == 1.0 / 40 && RequestCost.flat(40)(.notModified) == 1.0 / 40)
  }

  /// A queue below its capacity takes everything; a herd beyond it takes what can be served within the
  /// timeout and sheds the rest; the one-by-one and the counted forms agree.
  @Test func aHerdDrainsAtCapacityAndItsExcessIsShed() {
    // 10 instances, 1 ms per request: 10,000 requests/s; a 2 s timeout: 20,000 queued at most.
    var steady = BackendQueue(capacity: 10, timeout: 2)
    var shed = 0
    for i in 0..<90_000 where steady.admit(cost: 0.001, at: Double(i) / 9_000) == nil { shed += 1 }
    #expect(shed == 0, "9,000 requests/s on 10,000 of capacity")

    var one = BackendQueue(capacity: 10, timeout: 2)
    var admitted = 0
    for _ in 0..<50_000 where one.admit(cost: 0.001, at: 100) != nil { admitted += 1 }
    var counted = BackendQueue(capacity: 10, timeout: 2)
    let amount = counted.admit(amount: 50_000, cost: 0.001, at: 100)
    #expect(abs(Double(admitted) - 20_000) <= 1 && abs(amount - 20_000) < 1e-6)
    // A second later 10,000 have been served: room for 10,000 more.
    #expect(abs(counted.admit(amount: 50_000, cost: 0.001, at: 101) - 10_000) < 1e-6)
    // Load counted elsewhere takes its share of the capacity first.
    var shared = BackendQueue(capacity: 10, timeout: 2)
    shared.background = 6
    #expect(abs(shared.admit(amount: 50_000, cost: 0.001, at: 0) - 8_000) < 1e-6)
    shared.background = 10
    #expect(shared.admit(cost: 0.001, at: 50) == nil, "no capacity left")
  }

  /// A fleet run's servers: regular polls are counted at N·online/T; a boot's fetch is taken while there
  /// is room and shed when the pool is full; a device that goes down stops its polls.
  @Test func aRunsServersCountPollsAndShedBoots() {
    let section = CapacityDefinition(servers: .init(api: ServerDefinition(instancesPerRegion: 1, requestsPerSecond: 100, timeout: .seconds(1))))
    let devices = 3_000
    var backends = Backends(
      capacity: section, sync: [(SyncModel.polling(interval: .seconds(15), jitter: 0, network: .fixed(0)), nil)], regions: 2,
      online: 0.5, offlineSpell: 3600, region: (0..<devices).map { UInt8($0 % 2) }, syncClass: [UInt8](repeating: 0, count: devices),
      scale: 1, flags: 2, stateBytes: 1000)
    backends.count(until: 60)
    #expect(abs(backends.load.requestsPerSecond(.api) - 3_000 * 0.5 / 15) < 1e-9)
    // Region 0's 1,500 devices poll 50 times a second: 50 more requests fit in each second, and one
    // second of queue: a herd of 400 boots in region 0 gets 100 through.
    var taken = 0
    for device in stride(from: 0, to: 800, by: 2) where backends.admit(device: device, client: 0, region: 0, kind: .full, at: 60) {
      taken += 1
    }
    #expect((50...51).contains(taken), "50 a second for a second's queue (and, to rounding, the one that fills it)")
    #expect(backends.load.shed[0] == 400 - taken)
    // Region 1 is untouched.
    let other = backends.admit(device: 1, client: 0, region: 1, kind: .full, at: 60)
    #expect(other)
    // Half the region goes down: its polls stop, and more boots fit.
    for device in stride(from: 0, to: 1_500, by: 2) { backends.change(device: device, client: 0, region: 0, up: false, at: 100) }
    backends.count(until: 160)
    let expected = (3_000 * 0.5 / 15 * 160 - 750 * 0.5 / 15 * 60 + Double(backends.load.offered[0])) / 160
    #expect(abs(backends.load.requestsPerSecond(.api) - expected) < 1e-9)
  }
}
