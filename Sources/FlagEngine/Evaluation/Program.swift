/// The compiled tables of a state, in memory that evaluation reads through raw pointers, so that it
/// never counts references. A plain value: `Program` owns the memory and keeps it alive.
struct ProgramTables: @unchecked Sendable {
  let features: UnsafeBufferPointer<FeatureRecord>
  let strategies: UnsafeBufferPointer<StrategyRecord>
  let constraints: UnsafeBufferPointer<ConstraintRecord>
  let dependencies: UnsafeBufferPointer<DependencyRecord>
  let variantSets: UnsafeBufferPointer<VariantSetRecord>
  let variantEntries: UnsafeBufferPointer<VariantEntryRecord>
  let overrides: UnsafeBufferPointer<OverrideRecord>
  let semvers: UnsafeBufferPointer<SemverRecord>
  let networks: UnsafeBufferPointer<IPNetwork>
  /// All strings of the state, back to back.
  let text: UnsafeBufferPointer<UInt8>
  /// Each string: a span of `text`.
  let strings: UnsafeBufferPointer<Span>
  /// Each list: a span of `strings`. Lists used for membership are sorted by bytes.
  let lists: UnsafeBufferPointer<Span>
  let regexes: UnsafeBufferPointer<RustRegex?>

  init(_ builder: ProgramBuilder) {
    func copy<T>(_ array: [T]) -> UnsafeBufferPointer<T> {
      let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: max(array.count, 1))
      _ = buffer.initialize(from: array)
      return UnsafeBufferPointer(rebasing: UnsafeBufferPointer(buffer)[0..<array.count])
    }
    features = copy(builder.features)
    strategies = copy(builder.strategies)
    constraints = copy(builder.constraints)
    dependencies = copy(builder.dependencies)
    variantSets = copy(builder.variantSets)
    variantEntries = copy(builder.variantEntries)
    overrides = copy(builder.overrides)
    semvers = copy(builder.semvers)
    networks = copy(builder.networks)
    text = copy(builder.text)
    strings = copy(builder.strings)
    lists = copy(builder.lists)
    regexes = copy(builder.regexes)
  }

  /// Frees what `init` allocated.
  func deallocate() {
    UnsafeMutableBufferPointer(mutating: regexes).deinitialize()
    for pointer in [
      UnsafeRawPointer(features.baseAddress), UnsafeRawPointer(strategies.baseAddress),
      UnsafeRawPointer(constraints.baseAddress), UnsafeRawPointer(dependencies.baseAddress),
      UnsafeRawPointer(variantSets.baseAddress), UnsafeRawPointer(variantEntries.baseAddress),
      UnsafeRawPointer(overrides.baseAddress), UnsafeRawPointer(semvers.baseAddress),
      UnsafeRawPointer(networks.baseAddress), UnsafeRawPointer(text.baseAddress),
      UnsafeRawPointer(strings.baseAddress), UnsafeRawPointer(lists.baseAddress),
      UnsafeRawPointer(regexes.baseAddress),
    ] {
      pointer.map { UnsafeMutableRawPointer(mutating: $0).deallocate() }
    }
  }

  /// The bytes of string `index`.
  @inline(__always)
  func string(_ index: Int) -> UnsafeBufferPointer<UInt8> {
    let span = strings[index]
    return UnsafeBufferPointer(start: text.baseAddress! + Int(span.start), count: Int(span.count))
  }
}

/// A compiled state: the definition, its tables, the results variant choices hand out, and the
/// warnings of compilation.
final class Program: Sendable {
  let definition: ClientFeatures
  let tables: ProgramTables
  let indexByName: [String: Int]
  let warnings: [StateWarning]
  /// Results of variant entries.
  let variantNames: [String]
  let payloads: [Payload?]

  init(_ builder: ProgramBuilder, definition: ClientFeatures, indexByName: [String: Int], warnings: [StateWarning]) {
    self.definition = definition
    tables = ProgramTables(builder)
    self.indexByName = indexByName
    self.warnings = warnings
    variantNames = builder.variantNames
    payloads = builder.payloads
  }

  deinit { tables.deallocate() }

  // The tables, one field at a time: evaluation reads them through `self` without copying the whole
  // `ProgramTables` value onto the stack.
  var features: UnsafeBufferPointer<FeatureRecord> { @inline(__always) get { tables.features } }
  var strategies: UnsafeBufferPointer<StrategyRecord> { @inline(__always) get { tables.strategies } }
  var constraints: UnsafeBufferPointer<ConstraintRecord> { @inline(__always) get { tables.constraints } }
  var dependencies: UnsafeBufferPointer<DependencyRecord> { @inline(__always) get { tables.dependencies } }
  var variantSets: UnsafeBufferPointer<VariantSetRecord> { @inline(__always) get { tables.variantSets } }
  var variantEntries: UnsafeBufferPointer<VariantEntryRecord> { @inline(__always) get { tables.variantEntries } }
  var overrides: UnsafeBufferPointer<OverrideRecord> { @inline(__always) get { tables.overrides } }
  var semvers: UnsafeBufferPointer<SemverRecord> { @inline(__always) get { tables.semvers } }
  var networks: UnsafeBufferPointer<IPNetwork> { @inline(__always) get { tables.networks } }
  var lists: UnsafeBufferPointer<Span> { @inline(__always) get { tables.lists } }
  var regexes: UnsafeBufferPointer<RustRegex?> { @inline(__always) get { tables.regexes } }

  @inline(__always)
  func string(_ index: Int) -> UnsafeBufferPointer<UInt8> { tables.string(index) }
}

/// Collects records while a state compiles; `Program` copies them into their final memory.
struct ProgramBuilder {
  var features: [FeatureRecord] = []
  var strategies: [StrategyRecord] = []
  var constraints: [ConstraintRecord] = []
  var dependencies: [DependencyRecord] = []
  var variantSets: [VariantSetRecord] = []
  var variantEntries: [VariantEntryRecord] = []
  var overrides: [OverrideRecord] = []
  var semvers: [SemverRecord] = []
  var networks: [IPNetwork] = []
  var text: [UInt8] = [0]  // never empty, so the table always has an address
  var strings: [Span] = []
  var lists: [Span] = []
  var regexes: [RustRegex?] = []
  var variantNames: [String] = []
  var payloads: [Payload?] = []

  /// Adds a list of strings and returns its index. `sorted` orders them by bytes (for binary search)
  /// and drops duplicates.
  mutating func addList(_ values: [String], sorted: Bool) -> Int32 {
    var items = values.map { Array($0.utf8) }
    if sorted {
      items.sort { $0.lexicographicallyPrecedes($1) }
      var unique: [[UInt8]] = []
      for item in items where unique.last != item { unique.append(item) }
      items = unique
    }
    let first = strings.count
    for item in items {
      strings.append(Span(start: Int32(text.count), count: Int32(item.count)))
      text.append(contentsOf: item)
    }
    lists.append(Span(start: Int32(first), count: Int32(items.count)))
    return Int32(lists.count - 1)
  }

  /// Adds a run of networks and returns it as a span.
  mutating func addNetworks(_ list: [IPNetwork]) -> Span {
    let span = Span(start: Int32(networks.count), count: Int32(list.count))
    networks.append(contentsOf: list)
    return span
  }
}
