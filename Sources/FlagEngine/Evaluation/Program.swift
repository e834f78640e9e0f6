/// The compiled tables of a state, in memory that evaluation reads through raw pointers, so that it
/// never counts references. A plain value: `Program` owns the memory and keeps it alive.
struct ProgramTables: @unchecked Sendable {
  let features: Table<FeatureRecord>
  let strategies: Table<StrategyRecord>
  let constraints: Table<ConstraintRecord>
  let dependencies: Table<DependencyRecord>
  let variantSets: Table<VariantSetRecord>
  let variantEntries: Table<VariantEntryRecord>
  let overrides: Table<OverrideRecord>
  let semvers: Table<SemverRecord>
  let networks: Table<IPNetwork>
  /// Short strings of IN lists as `ShortWord`s.
  let words: Table<UInt64>
  /// All strings of the state, back to back.
  let text: Table<UInt8>
  /// Each string: a span of `text`.
  let strings: Table<Span>
  /// Each list: a span of `strings`. Lists used for membership are sorted by bytes.
  let lists: Table<Span>
  let regexes: Table<RustRegex?>

  init(_ builder: ProgramBuilder) {
    features = Table(builder.features)
    strategies = Table(builder.strategies)
    constraints = Table(builder.constraints)
    dependencies = Table(builder.dependencies)
    variantSets = Table(builder.variantSets)
    variantEntries = Table(builder.variantEntries)
    overrides = Table(builder.overrides)
    semvers = Table(builder.semvers)
    networks = Table(builder.networks)
    words = Table(builder.words)
    text = Table(builder.text)
    strings = Table(builder.strings)
    lists = Table(builder.lists)
    regexes = Table(builder.regexes)
  }

  /// Frees what `init` allocated.
  func deallocate() {
    features.deallocate()
    strategies.deallocate()
    constraints.deallocate()
    dependencies.deallocate()
    variantSets.deallocate()
    variantEntries.deallocate()
    overrides.deallocate()
    semvers.deallocate()
    networks.deallocate()
    words.deallocate()
    text.deallocate()
    strings.deallocate()
    lists.deallocate()
    regexes.deallocate()
  }

  /// The bytes of string `index`.
  @inline(__always)
  func string(_ index: Int) -> UnsafeBufferPointer<UInt8> {
    let span = strings[index]
    return UnsafeBufferPointer(start: text.pointer(Int(span.start)), count: Int(span.count))
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
  var features: Table<FeatureRecord> { @inline(__always) get { tables.features } }
  var strategies: Table<StrategyRecord> { @inline(__always) get { tables.strategies } }
  var constraints: Table<ConstraintRecord> { @inline(__always) get { tables.constraints } }
  var dependencies: Table<DependencyRecord> { @inline(__always) get { tables.dependencies } }
  var variantSets: Table<VariantSetRecord> { @inline(__always) get { tables.variantSets } }
  var variantEntries: Table<VariantEntryRecord> { @inline(__always) get { tables.variantEntries } }
  var overrides: Table<OverrideRecord> { @inline(__always) get { tables.overrides } }
  var semvers: Table<SemverRecord> { @inline(__always) get { tables.semvers } }
  var networks: Table<IPNetwork> { @inline(__always) get { tables.networks } }
  var words: Table<UInt64> { @inline(__always) get { tables.words } }
  var lists: Table<Span> { @inline(__always) get { tables.lists } }
  var regexes: Table<RustRegex?> { @inline(__always) get { tables.regexes } }

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
  var words: [UInt64] = []
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

/// A table of compiled records: read without bounds checks (the compiler's indices are in range by
/// construction), through an address that is never nil.
struct Table<Element>: @unchecked Sendable {
  let base: UnsafePointer<Element>
  let count: Int

  init(_ array: [Element]) {
    let buffer = UnsafeMutablePointer<Element>.allocate(capacity: max(array.count, 1))
    _ = UnsafeMutableBufferPointer(start: buffer, count: array.count).initialize(from: array)
    base = UnsafePointer(buffer)
    count = array.count
  }

  /// Frees what `init` allocated.
  func deallocate() {
    let buffer = UnsafeMutablePointer(mutating: base)
    buffer.deinitialize(count: count)
    buffer.deallocate()
  }

  @inline(__always)
  subscript(index: Int) -> Element { base[index] }

  @inline(__always)
  func pointer(_ index: Int) -> UnsafePointer<Element> { base + index }

  var indices: Range<Int> { 0..<count }
}
