import Simulation

/// A sync model with its distributions as sampling tables, for a fleet run's hot path. Draws the same
/// kind of delay as ``SyncModel/firstSeenDelay(_:edgeRandom:)``.
package struct SyncSampler: Sendable {
  package enum Kind: Sendable { case polling, streaming, edge }
  package let kind: Kind
  package let interval: Double
  package let jitter: Double
  package let refresh: Double
  package let refreshJitter: Double
  package let edgesPerRegion: Int
  let table: SamplingTable

  package init(_ model: SyncModel) {
    switch model {
    case .polling(let interval, let jitter, let network):
      kind = .polling
      self.interval = interval.seconds
      self.jitter = jitter
      refresh = 0
      refreshJitter = 0
      edgesPerRegion = 1
      table = SamplingTable(network)
    case .streaming(let latency):
      kind = .streaming
      interval = 0
      jitter = 0
      refresh = 0
      refreshJitter = 0
      edgesPerRegion = 1
      table = SamplingTable(latency)
    case .edge(let edge):
      kind = .edge
      interval = edge.interval.seconds
      jitter = edge.jitter
      refresh = edge.refresh.seconds
      refreshJitter = edge.refreshJitter
      edgesPerRegion = edge.edgesPerRegion
      table = SamplingTable(edge.network)
    }
  }

  @inline(__always)
  package func delay(_ random: inout RandomStream, edgeRandom: inout RandomStream) -> Double {
    switch kind {
    case .polling:
      let period = interval * (1 + jitter * (2 * random.nextDouble() - 1))
      return period * random.nextDouble() + table.sample(&random)
    case .streaming:
      return table.sample(&random)
    case .edge:
      return SyncModel.edgeWait(refresh, refreshJitter, &edgeRandom) + SyncModel.edgeWait(interval, jitter, &random)
        + table.sample(&random)
    }
  }
}
