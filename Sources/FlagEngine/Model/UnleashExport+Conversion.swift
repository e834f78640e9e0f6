import Foundation

extension UnleashExport {
  /// The environments the export holds, sorted: those its `featureEnvironments` and `featureStrategies` name.
  public var environments: [String] {
    var names = Set<String>()
    for item in featureEnvironments { if let name = item.environment { names.insert(name) } }
    for item in featureStrategies { if let name = item.environment { names.insert(name) } }
    return names.sorted()
  }

  /// The client-features state an Unleash server would send an SDK of `environment`.
  ///
  /// `environment` may be left out when the export holds one environment (an admin export always does).
  /// As the server does: archived features and disabled strategies are left out; a feature without an
  /// entry for the environment is off; strategies are ordered by `sortOrder`, then id; parameters are
  /// strings; segment ids are sorted. Segments whose constraints the export does not carry are left out
  /// (a flag that uses one is then off, as with any missing segment), and `warnings` says so.
  ///
  /// `source` names the export in messages.
  ///
  /// - Complexity: O(n log n) in the export's size.
  public func clientFeatures(
    environment requested: String?, source: String = "export", warnings: inout [String]
  ) throws(FlagEngineError) -> ClientFeatures {
    func fail(_ place: String, _ message: String) -> FlagEngineError {
      FlagEngineError(.malformedState, place: place.isEmpty ? source : "\(source): \(place)", message)
    }
    let held = environments
    let listed = held.map { "'\($0)'" }.joined(separator: ", ")
    let environment: String?
    switch (requested, held.count) {
    case (let name?, 0):
      throw FlagEngineError(
        .unknownEnvironment, place: source,
        "the export names no environment, so environment '\(name)' cannot be chosen; leave the environment out")
    case (let name?, _):
      guard held.contains(name) else {
        throw FlagEngineError(
          .unknownEnvironment, place: source,
          "environment '\(name)' is not in the export (it holds \(listed))")
      }
      environment = name
    case (nil, 0): environment = nil
    case (nil, 1): environment = held[0]
    case (nil, _):
      throw FlagEngineError(
        .environmentRequired, place: source, "the export holds \(held.count) environments (\(listed)); choose one")
    }
    // In an export of several environments every entry must say which one it belongs to.
    if held.count > 1 {
      if let index = featureEnvironments.firstIndex(where: { $0.environment == nil }) {
        throw fail("featureEnvironments[\(index)]", "missing 'environment' in an export of several environments (\(listed))")
      }
      if let index = featureStrategies.firstIndex(where: { $0.environment == nil }) {
        throw fail("featureStrategies[\(index)]", "missing 'environment' in an export of several environments (\(listed))")
      }
    }
    func inEnvironment(_ name: String?) -> Bool { name == nil || name == environment }

    var featureIndex: [String: Int] = [:]
    for (index, feature) in features.enumerated() {
      guard featureIndex.updateValue(index, forKey: feature.name) == nil else {
        throw fail("features[\(index)]", "feature '\(feature.name)' is listed twice")
      }
    }
    func known(_ name: String, _ place: String) throws(FlagEngineError) {
      guard featureIndex[name] != nil else { throw fail(place, "feature '\(name)' is not in 'features'") }
    }

    var environmentOf: [String: ExportFeatureEnvironment] = [:]
    for (index, item) in featureEnvironments.enumerated() {
      try known(item.featureName, "featureEnvironments[\(index)]")
      guard inEnvironment(item.environment) else { continue }
      guard environmentOf.updateValue(item, forKey: item.featureName) == nil else {
        throw fail(
          "featureEnvironments[\(index)]",
          "feature '\(item.featureName)' has two entries for environment '\(environment ?? "")'")
      }
    }

    var segmentsOfStrategy: [String: [Int]] = [:]
    for link in featureStrategySegments { segmentsOfStrategy[link.featureStrategyId, default: []].append(link.segmentId) }
    var strategiesOf: [String: [ExportStrategy]] = [:]
    for (index, strategy) in featureStrategies.enumerated() {
      try known(strategy.featureName, "featureStrategies[\(index)]")
      guard inEnvironment(strategy.environment), strategy.disabled != true else { continue }
      strategiesOf[strategy.featureName, default: []].append(strategy)
    }

    var parentsOf: [String: [Dependency]] = [:]
    for (index, entry) in dependencies.enumerated() {
      try known(entry.feature, "dependencies[\(index)]")
      parentsOf[entry.feature, default: []].append(contentsOf: entry.dependencies)
    }

    var segmentById: [Int: ExportSegment] = [:]
    for segment in segments { segmentById[segment.id] = segment }
    var usedSegments = Set<Int>()
    var result: [FeatureDefinition] = []
    for feature in features where feature.archived != true {
      let state = environmentOf[feature.name]
      let strategies = Self.servingOrder(strategiesOf[feature.name] ?? []).map { strategy in
        var segments = strategy.segments ?? []
        if let id = strategy.id, let linked = segmentsOfStrategy[id] { segments += linked }
        segments = Array(Set(segments)).sorted()
        usedSegments.formUnion(segments)
        return Strategy(
          name: strategy.name, parameters: strategy.parameters ?? [:], constraints: strategy.constraints ?? [],
          segments: segments.isEmpty ? nil : segments, variants: strategy.variants ?? [])
      }
      result.append(
        FeatureDefinition(
          name: feature.name, enabled: state?.enabled ?? false, strategies: strategies,
          variants: state?.variants ?? feature.variants ?? [], dependencies: parentsOf[feature.name],
          type: feature.type, project: feature.project, impressionData: feature.impressionData))
    }

    var served: [Segment] = []
    for id in usedSegments.sorted() {
      guard let segment = segmentById[id] else { continue }
      guard let constraints = segment.constraints else {
        let name = segment.name.map { " '\($0)'" } ?? ""
        let users = result.filter { $0.strategies?.contains { $0.segments?.contains(id) == true } == true }.map(\.name)
        warnings.append(
          "\(source): segment \(id)\(name) is used by \(users.map { "'\($0)'" }.joined(separator: ", ")), but the export "
            + "does not carry its constraints (Unleash exports name segments only); add them as 'constraints' to the "
            + "segment in the export, or those flags are off")
        continue
      }
      served.append(Segment(id: id, name: segment.name, constraints: constraints))
    }
    return ClientFeatures(version: 2, features: result, segments: served)
  }

  /// `clientFeatures(environment:source:warnings:)`, dropping the warnings.
  public func clientFeatures(environment: String?, source: String = "export") throws(FlagEngineError) -> ClientFeatures {
    var warnings: [String] = []
    return try clientFeatures(environment: environment, source: source, warnings: &warnings)
  }

  /// The order an Unleash server serves strategies in: by `sortOrder`, then by id (exports carry both;
  /// a missing one counts as 0 or the empty id), then as listed.
  static func servingOrder(_ strategies: [ExportStrategy]) -> [ExportStrategy] {
    strategies.enumerated().sorted { a, b in
      let x = (a.element.sortOrder ?? 0, a.element.id ?? "", a.offset)
      let y = (b.element.sortOrder ?? 0, b.element.id ?? "", b.offset)
      return x < y
    }.map(\.element)
  }
}
