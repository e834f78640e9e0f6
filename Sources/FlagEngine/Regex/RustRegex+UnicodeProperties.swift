extension RustRegex {
  /// Unicode data for classes and case folding, at Unicode 16.0 like Rust's regex-syntax.
  ///
  /// General categories, ages and case mappings come from Swift's
  /// `Unicode.Scalar.Properties`; scalars Swift knows from a later Unicode version are
  /// treated as unassigned so that both engines agree. Everything else is decoded from
  /// the generated `UnicodeTables`.
  enum UnicodeProperties {
    /// Rust's tables are Unicode 16.0.
    static let unicodeVersion = (major: 16, minor: 0)

    /// True when `scalar` is assigned in the Unicode version Rust's tables use.
    @inline(__always)
    static func isAssigned(_ scalar: Unicode.Scalar) -> Bool {
      guard let age = scalar.properties.age else { return false }
      return (age.major, age.minor) <= unicodeVersion
    }

    // MARK: Perl classes

    static let perlWord = decodeSet(UnicodeTables.perlWord)
    static let perlDigit = decodeSet(UnicodeTables.perlDigit)
    static let perlSpace = decodeSet(UnicodeTables.perlSpace)

    /// Word characters for `\b` and friends, as a flat sorted array of bounds for a
    /// branch-light binary search at match time.
    static let wordBounds: ContiguousArray<UInt32> = {
      var bounds = ContiguousArray<UInt32>()
      for range in perlWord.ranges {
        bounds.append(range.lower)
        bounds.append(range.upper)
      }
      return bounds
    }()

    /// Unicode `\w` membership (Rust's `is_word_character`).
    @inline(__always)
    static func isWord(_ value: UInt32) -> Bool {
      if value < 0x80 { return isASCIIWord(value) }
      return wordBounds.withUnsafeBufferPointer { bounds in
        // Find the first range whose upper bound is >= value.
        var low = 0
        var high = bounds.count / 2
        while low < high {
          let mid = (low + high) >> 1
          if bounds[2 * mid + 1] < value { low = mid + 1 } else { high = mid }
        }
        return low < bounds.count / 2 && bounds[2 * low] <= value
      }
    }

    @inline(__always)
    static func isASCIIWord(_ value: UInt32) -> Bool {
      switch value {
      case 0x30...0x39, 0x41...0x5A, 0x5F, 0x61...0x7A: return true
      default: return false
      }
    }

    // MARK: Generated tables

    /// Decodes one set in the `UnicodeTables` encoding.
    static func decodeSet<S: StringProtocol>(_ encoded: S) -> ScalarSet {
      var ranges: [ScalarSet.Range] = []
      var numbers: [UInt32] = []
      var value: UInt32 = 0
      var shift: UInt32 = 0
      for byte in encoded.utf8 {
        guard let digit = digitValue(byte) else { continue }  // line breaks, indentation
        value |= UInt32(digit & 31) << shift
        if digit >= 32 {
          shift += 5
        } else {
          numbers.append(value)
          value = 0
          shift = 0
        }
      }
      var previousEnd: UInt32 = 0
      var index = 0
      while index + 1 < numbers.count {
        let lower = previousEnd + numbers[index]
        let upper = lower + numbers[index + 1]
        ranges.append(ScalarSet.Range(lower: lower, upper: upper))
        previousEnd = upper + 1
        index += 2
      }
      return ScalarSet(ranges)
    }

    private static func digitValue(_ byte: UInt8) -> UInt8? {
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
      case UInt8(ascii: "A")...UInt8(ascii: "Z"): return byte - UInt8(ascii: "A") + 10
      case UInt8(ascii: "a")...UInt8(ascii: "z"): return byte - UInt8(ascii: "a") + 36
      case UInt8(ascii: "-"): return 62
      case UInt8(ascii: "_"): return 63
      default: return nil
      }
    }

    /// Splits a `Name=encoded;...` table into its entries, once per table.
    private static func index(sets table: String) -> [String: Substring] {
      var entries: [String: Substring] = [:]
      let compact = String(decoding: table.utf8.filter { $0 != UInt8(ascii: "\n") && $0 != UInt8(ascii: " ") }, as: UTF8.self)
      for entry in compact.split(separator: ";") {
        guard let equals = entry.firstIndex(of: "=") else { continue }
        entries[String(entry[..<equals])] = entry[entry.index(after: equals)...]
      }
      return entries
    }

    /// Splits a `normalized:Canonical,...` alias table, once per table.
    private static func index(aliases table: String) -> [String: String] {
      var entries: [String: String] = [:]
      let compact = String(decoding: table.utf8.filter { $0 != UInt8(ascii: "\n") && $0 != UInt8(ascii: " ") }, as: UTF8.self)
      for entry in compact.split(separator: ",") {
        guard let colon = entry.firstIndex(of: ":") else { continue }
        entries[String(entry[..<colon])] = String(entry[entry.index(after: colon)...])
      }
      return entries
    }

    enum SetTable: Sendable {
      case scripts, scriptExtensions, binaryProperties, graphemeClusterBreak, wordBreak, sentenceBreak
    }

    enum AliasTable: Sendable {
      case propertyNames, generalCategoryValues, scriptValues, ageValues
      case graphemeClusterBreakValues, wordBreakValues, sentenceBreakValues
    }

    private static let scriptSets = index(sets: UnicodeTables.scripts)
    private static let scriptExtensionSets = index(sets: UnicodeTables.scriptExtensions)
    private static let binaryPropertySets = index(sets: UnicodeTables.binaryProperties)
    private static let graphemeClusterBreakSets = index(sets: UnicodeTables.graphemeClusterBreak)
    private static let wordBreakSets = index(sets: UnicodeTables.wordBreak)
    private static let sentenceBreakSets = index(sets: UnicodeTables.sentenceBreak)
    private static let propertyNameAliases = index(aliases: UnicodeTables.propertyNames)
    private static let generalCategoryAliases = index(aliases: UnicodeTables.generalCategoryValues)
    private static let scriptAliases = index(aliases: UnicodeTables.scriptValues)
    private static let ageAliases = index(aliases: UnicodeTables.ageValues)
    private static let graphemeClusterBreakAliases = index(aliases: UnicodeTables.graphemeClusterBreakValues)
    private static let wordBreakAliases = index(aliases: UnicodeTables.wordBreakValues)
    private static let sentenceBreakAliases = index(aliases: UnicodeTables.sentenceBreakValues)

    /// The set called `name` in `table`, decoded.
    static func namedSet(_ table: SetTable, _ name: String) -> ScalarSet? {
      let sets: [String: Substring]
      switch table {
      case .scripts: sets = scriptSets
      case .scriptExtensions: sets = scriptExtensionSets
      case .binaryProperties: sets = binaryPropertySets
      case .graphemeClusterBreak: sets = graphemeClusterBreakSets
      case .wordBreak: sets = wordBreakSets
      case .sentenceBreak: sets = sentenceBreakSets
      }
      return sets[name].map(decodeSet)
    }

    /// The canonical name `key` (already normalized) stands for in `table`.
    static func alias(_ table: AliasTable, _ key: String) -> String? {
      switch table {
      case .propertyNames: return propertyNameAliases[key]
      case .generalCategoryValues: return generalCategoryAliases[key]
      case .scriptValues: return scriptAliases[key]
      case .ageValues: return ageAliases[key]
      case .graphemeClusterBreakValues: return graphemeClusterBreakAliases[key]
      case .wordBreakValues: return wordBreakAliases[key]
      case .sentenceBreakValues: return sentenceBreakAliases[key]
      }
    }

    // MARK: General category and age (from Swift)

    /// Runs of equal (general category, age) over all scalar values, built once.
    private struct CategoryRuns: Sendable {
      var starts: [UInt32] = []
      var categories: [UInt8] = []  // index into `categoryOrder`; `unassignedCode` if none
      var ages: [UInt16] = []  // major << 8 | minor; 0 when unassigned
    }

    private static let categoryOrder: [Unicode.GeneralCategory] = [
      .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
      .nonspacingMark, .spacingMark, .enclosingMark,
      .decimalNumber, .letterNumber, .otherNumber,
      .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
      .initialPunctuation, .finalPunctuation, .otherPunctuation,
      .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol,
      .spaceSeparator, .lineSeparator, .paragraphSeparator,
      .control, .format, .surrogate, .privateUse, .unassigned,
    ]
    private static let unassignedCode = UInt8(categoryOrder.count - 1)

    /// Where Unicode 16.0 differs from Swift's category for a scalar Swift places in 16.0.
    private static let categoryOverrides: [(ClosedRange<UInt32>, UInt8)] = {
      let codes: [String: Unicode.GeneralCategory] = [
        "Lu": .uppercaseLetter, "Ll": .lowercaseLetter, "Lt": .titlecaseLetter, "Lm": .modifierLetter,
        "Lo": .otherLetter, "Mn": .nonspacingMark, "Mc": .spacingMark, "Me": .enclosingMark,
        "Nd": .decimalNumber, "Nl": .letterNumber, "No": .otherNumber, "Pc": .connectorPunctuation,
        "Pd": .dashPunctuation, "Ps": .openPunctuation, "Pe": .closePunctuation,
        "Pi": .initialPunctuation, "Pf": .finalPunctuation, "Po": .otherPunctuation,
        "Sm": .mathSymbol, "Sc": .currencySymbol, "Sk": .modifierSymbol, "So": .otherSymbol,
        "Zs": .spaceSeparator, "Zl": .lineSeparator, "Zp": .paragraphSeparator, "Cc": .control,
        "Cf": .format, "Co": .privateUse, "Cn": .unassigned,
      ]
      let compact = UnicodeTables.generalCategoryOverrides.filter { !$0.isWhitespace }
      return compact.split(separator: ",").compactMap { entry in
        let parts = entry.split(separator: ":")
        let bounds = parts.first?.split(separator: "-").compactMap { UInt32($0, radix: 16) } ?? []
        guard parts.count == 2, bounds.count == 2, let category = codes[String(parts[1])],
          let code = categoryOrder.firstIndex(of: category)
        else { return nil }
        return (bounds[0]...bounds[1], UInt8(code))
      }
    }()

    private static let categoryRuns: CategoryRuns = {
      let overrides = categoryOverrides
      var runs = CategoryRuns()
      func append(_ start: UInt32, _ category: UInt8, _ age: UInt16) {
        if let last = runs.categories.last, last == category, runs.ages.last == age { return }
        runs.starts.append(start)
        runs.categories.append(category)
        runs.ages.append(age)
      }
      // Planes 0 to 3 and the start of plane 14 are looked up scalar by scalar. The rest
      // is uniform blocks (unassigned, or private use in planes 15 and 16) ending in two
      // noncharacters, which do have an age; a block takes the values of its first scalar.
      var scanned: [ClosedRange<UInt32>] = [0x0...0x3FFFF]
      var uniform: [ClosedRange<UInt32>] = []
      for plane in UInt32(4)...16 {
        let start = plane == 14 ? 0xE1000 : plane << 16
        if plane == 14 { scanned.append(0xE0000...0xE0FFF) }
        uniform.append(start...(plane << 16 | 0xFFFD))
        scanned.append((plane << 16 | 0xFFFE)...(plane << 16 | 0xFFFF))
      }
      func classify(_ value: UInt32) -> (UInt8, UInt16) {
        guard let scalar = Unicode.Scalar(value) else { return (unassignedCode, 0) }  // surrogates
        let properties = scalar.properties
        guard let age = properties.age, (age.major, age.minor) <= unicodeVersion else { return (unassignedCode, 0) }
        var code = UInt8(categoryOrder.firstIndex(of: properties.generalCategory) ?? Int(unassignedCode))
        if let override = overrides.first(where: { $0.0.contains(value) }) { code = override.1 }
        return (code, UInt16(age.major) << 8 | UInt16(age.minor))
      }
      let spans = (scanned.map { ($0, false) } + uniform.map { ($0, true) }).sorted { $0.0.lowerBound < $1.0.lowerBound }
      for (span, isUniform) in spans {
        if isUniform {
          let (code, age) = classify(span.lowerBound)
          append(span.lowerBound, code, age)
          continue
        }
        for value in span {
          let (code, age) = classify(value)
          append(value, code, age)
        }
      }
      return runs
    }()

    private static func runsMatching(_ predicate: (UInt8, UInt16) -> Bool) -> ScalarSet {
      let runs = categoryRuns
      var ranges: [ScalarSet.Range] = []
      for index in runs.starts.indices where predicate(runs.categories[index], runs.ages[index]) {
        let end = index + 1 < runs.starts.count ? runs.starts[index + 1] - 1 : ScalarSet.maxScalar
        ranges.append(ScalarSet.Range(lower: runs.starts[index], upper: end))
      }
      return ScalarSet(ranges)
    }

    /// Members of the general categories in `categories`.
    static func generalCategories(_ categories: Set<Unicode.GeneralCategory>) -> ScalarSet {
      let codes = Set(categories.compactMap { categoryOrder.firstIndex(of: $0) }.map(UInt8.init))
      return runsMatching { code, _ in codes.contains(code) }
    }

    /// Scalars assigned in Unicode `major.minor` or earlier (Rust's `Age` is cumulative).
    static func assigned(upTo major: Int, _ minor: Int) -> ScalarSet {
      let limit = UInt16(major) << 8 | UInt16(minor)
      return runsMatching { _, age in age != 0 && age <= limit }
    }

    /// Canonical General_Category value names (long form) to Swift categories.
    static let generalCategoryMembers: [String: Set<Unicode.GeneralCategory>] = {
      let leaves: [String: Unicode.GeneralCategory] = [
        "Uppercase_Letter": .uppercaseLetter, "Lowercase_Letter": .lowercaseLetter,
        "Titlecase_Letter": .titlecaseLetter, "Modifier_Letter": .modifierLetter,
        "Other_Letter": .otherLetter, "Nonspacing_Mark": .nonspacingMark,
        "Spacing_Mark": .spacingMark, "Enclosing_Mark": .enclosingMark,
        "Decimal_Number": .decimalNumber, "Letter_Number": .letterNumber,
        "Other_Number": .otherNumber, "Connector_Punctuation": .connectorPunctuation,
        "Dash_Punctuation": .dashPunctuation, "Open_Punctuation": .openPunctuation,
        "Close_Punctuation": .closePunctuation, "Initial_Punctuation": .initialPunctuation,
        "Final_Punctuation": .finalPunctuation, "Other_Punctuation": .otherPunctuation,
        "Math_Symbol": .mathSymbol, "Currency_Symbol": .currencySymbol,
        "Modifier_Symbol": .modifierSymbol, "Other_Symbol": .otherSymbol,
        "Space_Separator": .spaceSeparator, "Line_Separator": .lineSeparator,
        "Paragraph_Separator": .paragraphSeparator, "Control": .control, "Format": .format,
        "Private_Use": .privateUse, "Unassigned": .unassigned,
      ]
      var members = leaves.mapValues { Set([$0]) }
      members["Letter"] = [.uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter]
      members["Cased_Letter"] = [.uppercaseLetter, .lowercaseLetter, .titlecaseLetter]
      members["Mark"] = [.nonspacingMark, .spacingMark, .enclosingMark]
      members["Number"] = [.decimalNumber, .letterNumber, .otherNumber]
      members["Punctuation"] = [
        .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
        .initialPunctuation, .finalPunctuation, .otherPunctuation,
      ]
      members["Symbol"] = [.mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol]
      members["Separator"] = [.spaceSeparator, .lineSeparator, .paragraphSeparator]
      members["Other"] = [.control, .format, .surrogate, .privateUse, .unassigned]
      return members
    }()

    // MARK: Simple case folding

    /// Scalars that have simple case variants, with their equivalence classes.
    struct CaseFolding: Sendable {
      /// Sorted scalars that have at least one other scalar in their class.
      var keys: [UInt32] = []
      /// For each key, the index of its class in `classes`.
      var classOfKey: [Int32] = []
      var classes: [[UInt32]] = []

      func variants(of value: UInt32) -> [UInt32]? {
        var low = 0
        var high = keys.count
        while low < high {
          let mid = (low + high) / 2
          if keys[mid] < value { low = mid + 1 } else { high = mid }
        }
        guard low < keys.count, keys[low] == value else { return nil }
        return classes[Int(classOfKey[low])]
      }

      /// Index of the first key >= `value`.
      func firstKey(atLeast value: UInt32) -> Int {
        var low = 0
        var high = keys.count
        while low < high {
          let mid = (low + high) / 2
          if keys[mid] < value { low = mid + 1 } else { high = mid }
        }
        return low
      }
    }

    /// Simple case folding equivalence classes, as in Unicode's CaseFolding.txt (status C
    /// and S). Swift exposes full case mappings only; single-scalar lower, upper and title
    /// mappings are exactly the simple ones, and the pairs below fix where folding and
    /// mapping differ.
    static let caseFolding: CaseFolding = {
      var parent: [UInt32: UInt32] = [:]
      func find(_ value: UInt32) -> UInt32 {
        var root = value
        while let next = parent[root], next != root { root = next }
        var node = value
        while let next = parent[node], next != root {
          parent[node] = root
          node = next
        }
        return root
      }
      func link(_ a: UInt32, _ b: UInt32) {
        if parent[a] == nil { parent[a] = a }
        if parent[b] == nil { parent[b] = b }
        let rootA = find(a)
        let rootB = find(b)
        if rootA != rootB { parent[max(rootA, rootB)] = min(rootA, rootB) }
      }
      // Dotless i maps to I, and I to i, but neither folds to the other.
      let notFolding: Set<[UInt32]> = [[0x0131, 0x0049]]
      // Folding pairs with no simple case mapping between them.
      let extraFolding: [(UInt32, UInt32)] = [(0x1FD3, 0x0390), (0x1FE3, 0x03B0), (0xFB05, 0xFB06)]
      // Every scalar with a case mapping lies below U+20000.
      for value in UInt32(0)..<0x20000 {
        // The cheap flag first: few scalars have a case mapping at all.
        guard let scalar = Unicode.Scalar(value), scalar.properties.changesWhenCaseMapped, isAssigned(scalar) else {
          continue
        }
        let properties = scalar.properties
        for mapping in [properties.lowercaseMapping, properties.uppercaseMapping, properties.titlecaseMapping] {
          let scalars = mapping.unicodeScalars
          guard scalars.count == 1, let target = scalars.first, target != scalar, isAssigned(target) else {
            continue
          }
          if notFolding.contains([value, target.value]) || notFolding.contains([target.value, value]) {
            continue
          }
          link(value, target.value)
        }
      }
      for (a, b) in extraFolding { link(a, b) }
      var members: [UInt32: [UInt32]] = [:]
      for value in parent.keys { members[find(value), default: []].append(value) }
      var folding = CaseFolding()
      var entries: [(UInt32, Int32)] = []
      for (_, group) in members where group.count > 1 {
        let index = Int32(folding.classes.count)
        folding.classes.append(group.sorted())
        for value in group { entries.append((value, index)) }
      }
      entries.sort { $0.0 < $1.0 }
      folding.keys = entries.map(\.0)
      folding.classOfKey = entries.map(\.1)
      return folding
    }()

    /// `set` closed under simple case folding (Rust's `case_fold_simple`).
    static func caseFolded(_ set: ScalarSet) -> ScalarSet {
      let folding = caseFolding
      var added: [ScalarSet.Range] = []
      for range in set.ranges {
        var index = folding.firstKey(atLeast: range.lower)
        while index < folding.keys.count, folding.keys[index] <= range.upper {
          for value in folding.classes[Int(folding.classOfKey[index])] {
            added.append(ScalarSet.Range(lower: value, upper: value))
          }
          index += 1
        }
      }
      guard !added.isEmpty else { return set }
      return set.union(ScalarSet(added))
    }

    /// True if some scalar in `lower...upper` has simple case variants.
    static func hasCaseVariants(_ lower: UInt32, _ upper: UInt32) -> Bool {
      let folding = caseFolding
      let index = folding.firstKey(atLeast: lower)
      return index < folding.keys.count && folding.keys[index] <= upper
    }
  }
}

// MARK: - `\p{..}` resolution

extension RustRegex.UnicodeProperties {
  /// The set named by `\pX`, `\p{Name}` or `\p{name=value}`, resolved like regex-syntax's
  /// `ClassQuery`: names are compared loosely, binary properties win over general
  /// categories, which win over scripts.
  static func classSet(for name: RustRegex.UnicodeClassName, at offset: Int) throws(RustRegexError) -> RustRegex.ScalarSet {
    let notFound = RustRegexError("Unicode property not found", at: offset)
    let valueNotFound = RustRegexError("Unicode property value not found", at: offset)
    switch name {
    case .oneLetter(let letter):
      guard let set = binaryQuery(String(Character(letter))) else { throw notFound }
      return set
    case .named(let text):
      guard let set = binaryQuery(text) else { throw notFound }
      return set
    case .namedValue(let propertyName, let propertyValue, _):
      guard let property = alias(.propertyNames, normalize(propertyName)) else { throw notFound }
      let value = normalize(propertyValue)
      let resolved: RustRegex.ScalarSet?
      switch property {
      case "General_Category":
        resolved = generalCategoryQuery(value)
      case "Script":
        resolved = alias(.scriptValues, value).flatMap { namedSet(.scripts, $0) }
      case "Script_Extensions":
        resolved = alias(.scriptValues, value).flatMap { namedSet(.scriptExtensions, $0) }
      case "Age":
        resolved = alias(.ageValues, value).flatMap(ageSet)
      case "Grapheme_Cluster_Break":
        resolved = alias(.graphemeClusterBreakValues, value)
          .flatMap { namedSet(.graphemeClusterBreak, $0) }
      case "Word_Break":
        resolved = alias(.wordBreakValues, value).flatMap { namedSet(.wordBreak, $0) }
      case "Sentence_Break":
        resolved = alias(.sentenceBreakValues, value)
          .flatMap { namedSet(.sentenceBreak, $0) }
      default:
        resolved = nil
      }
      guard let resolved else { throw valueNotFound }
      return resolved
    }
  }

  private static func binaryQuery(_ text: String) -> RustRegex.ScalarSet? {
    let name = normalize(text)
    // `cf`, `sc` and `lc` also abbreviate properties Rust does not support; as
    // general categories they mean Format, Currency_Symbol and Cased_Letter.
    if name != "cf" && name != "sc" && name != "lc", let property = alias(.propertyNames, name) {
      return namedSet(.binaryProperties, property)
    }
    if let set = generalCategoryQuery(name) { return set }
    if let script = alias(.scriptValues, name) { return namedSet(.scripts, script) }
    return nil
  }

  private static func generalCategoryQuery(_ name: String) -> RustRegex.ScalarSet? {
    switch name {
    case "any": return .all
    case "ascii": return .ascii
    case "assigned": return generalCategories([.unassigned]).inverted()
    default:
      guard let canonical = alias(.generalCategoryValues, name),
        let members = generalCategoryMembers[canonical]
      else { return nil }
      return generalCategories(members)
    }
  }

  private static func ageSet(_ canonical: String) -> RustRegex.ScalarSet? {
    // "V16_0" -> 16.0
    let parts = canonical.dropFirst().split(separator: "_").compactMap { Int($0) }
    guard parts.count == 2 else { return nil }
    return assigned(upTo: parts[0], parts[1])
  }

  /// regex-syntax's `symbolic_name_normalize`: drops an `is` prefix, spaces, `_`, `-`
  /// and non-ASCII, and lowercases.
  static func normalize(_ name: String) -> String {
    var bytes = Array(name.utf8)
    var startsWithIs = false
    if bytes.count >= 2, bytes[0] | 0x20 == UInt8(ascii: "i"), bytes[1] | 0x20 == UInt8(ascii: "s") {
      startsWithIs = true
      bytes.removeFirst(2)
    }
    var result: [UInt8] = []
    for byte in bytes {
      switch byte {
      case UInt8(ascii: " "), UInt8(ascii: "_"), UInt8(ascii: "-"): continue
      case UInt8(ascii: "A")...UInt8(ascii: "Z"): result.append(byte + 32)
      case 0..<0x80: result.append(byte)
      default: continue
      }
    }
    // `isc` is ISO_Comment's alias, not `is` + `c`.
    if startsWithIs && result == [UInt8(ascii: "c")] { result = Array("isc".utf8) }
    return String(decoding: result, as: UTF8.self)
  }
}
