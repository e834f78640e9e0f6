// The hot path: deciding flags from the compiled records and a context's raw values. Nothing here
// allocates or counts references, except the rare paths that say so (regular expressions, case-folding
// non-ASCII text, a missing currentTime).

extension Program {
  /// The strategy that turns feature `index` on: `nil` when the feature is off, `-1` when it is on
  /// without strategies.
  @inline(__always)
  func matchingStrategy(_ index: Int, _ values: ContextValues, _ random: inout SplitMix64) -> Int? {
    let feature = features[index]
    guard feature.enabled else { return nil }
    if feature.dependencies.count > 0 && !dependenciesHold(feature, values, &random) { return nil }
    return firstStrategyOn(feature, values, &random)
  }

  /// One feature for `count` contexts: the feature's record is read once; a feature without
  /// dependencies goes straight to its strategies.
  func isEnabled(
    _ index: Int, contexts: UnsafeMutablePointer<EvaluationContext>, count: Int, results: UnsafeMutablePointer<Bool>
  ) -> Int {
    let feature = features[index]
    guard feature.enabled else {
      results.update(repeating: false, count: count)
      return 0
    }
    var enabled = 0
    if feature.dependencies.count > 0 {
      for i in 0..<count {
        let on = matchingStrategy(index, contexts[i].values, &contexts[i].random) != nil
        results[i] = on
        enabled &+= on ? 1 : 0
      }
      return enabled
    }
    for i in 0..<count {
      let on = firstStrategyOn(feature, contexts[i].values, &contexts[i].random) != nil
      results[i] = on
      enabled &+= on ? 1 : 0
    }
    return enabled
  }

  @inline(__always)
  func firstStrategyOn(_ feature: FeatureRecord, _ values: ContextValues, _ random: inout SplitMix64) -> Int? {
    if feature.strategies.count == 0 { return -1 }
    // Pointer loops: no index arithmetic or range checks on the hot path.
    let first = strategies.pointer(Int(feature.strategies.start))
    var strategy = first
    let end = first + Int(feature.strategies.count)
    repeat {
      if strategyOn(strategy, values, &random) { return Int(feature.strategies.start) &+ (strategy - first) }
      strategy += 1
    } while strategy < end
    return nil
  }

  /// The variant set that applies when `strategy` turned `feature` on: the strategy's own, else the feature's.
  @inline(__always)
  func variantSet(_ feature: FeatureRecord, strategy: Int) -> Int32 {
    if strategy >= 0 {
      let own = strategies[strategy].variantSet
      if own >= 0 { return own }
    }
    return feature.variantSet
  }

  /// Unleash's dependency rule: every parent exists, has no parents of its own, is in the required
  /// state, and (when variants are listed and the parent has variants) shows one of them. A parent's
  /// variant is chosen as if it were enabled.
  func dependenciesHold(_ feature: FeatureRecord, _ values: ContextValues, _ random: inout SplitMix64) -> Bool {
    for index in feature.dependencies.range {
      let dependency = dependencies[index]
      guard dependency.parent >= 0 else { return false }
      let parent = features[Int(dependency.parent)]
      guard parent.dependencies.count == 0 else { return false }
      let strategy = parent.broken ? nil : firstStrategyOn(parent, values, &random)
      let parentOn = parent.enabled && strategy != nil
      if lists[Int(dependency.variants)].count > 0 {
        let set = variantSet(parent, strategy: strategy ?? -1)
        if set >= 0 {
          let entry = chooseVariant(Int(set), values, &random)
          if !listContains(dependency.variants, string(Int(variantEntries[entry].nameString))) { return false }
        }
      }
      if parentOn != dependency.parentEnabled { return false }
    }
    return true
  }

  // MARK: Strategies

  @inline(__always)
  func strategyOn(_ strategy: UnsafePointer<StrategyRecord>, _ values: ContextValues, _ random: inout SplitMix64) -> Bool {
    // Constraints first: they are cheaper than hashing and usually decide.
    var constraint = constraints.pointer(Int(strategy.pointee.constraints.start))
    let end = constraint + Int(strategy.pointee.constraints.count)
    while constraint < end {
      if !constraintHolds(constraint, values) { return false }
      constraint += 1
    }
    switch strategy.pointee.rule {
    case .always: return true
    case .never: return false
    case .userIds:
      guard let userId = values.value(0) else { return false }
      return listContains(strategy.pointee.list, userId)
    case .rollout:
      let prefix = strategy.pointee.prefix
      let hash: UInt32
      switch strategy.pointee.stickiness {
      case .default:
        if let value = values.value(ContextField.userId.slot) ?? values.value(ContextField.sessionId.slot) {
          hash = bucketHash(prefix, value)
        } else {
          hash = randomStickinessHash(prefix, &random)
        }
      case .random:
        hash = randomStickinessHash(prefix, &random)
      case .field:
        if let value = values.value(Int(strategy.pointee.stickinessSlot)) {
          hash = bucketHash(prefix, value)
        } else if strategy.pointee.stickinessSlot == Int32(ContextField.currentTime.slot) {
          var hasher = prefix
          hasher.combine(Timestamp.now().iso8601)  // a missing currentTime reads as now
          hash = hasher.finalize()
        } else {
          return false
        }
      }
      return hash % 100 + 1 <= strategy.pointee.percentage
    case .random:
      return 1 + random.next(below: 99) < strategy.pointee.percentage
    case .remoteAddress:
      guard let text = values.value(ContextField.remoteAddress.slot), let address = IPAddress.parse(text[...]) else {
        return false
      }
      let run = Span(start: strategy.pointee.list, count: strategy.pointee.listCount)
      for index in run.range where networks[index].contains(address) { return true }
      return false
    case .hostname:
      guard let hostname = values.value(ContextField.hostname.slot) else { return false }
      return listContainsUnsorted(strategy.pointee.list, hostname)
    }
  }

  /// The hash of a compiled prefix (`"<groupId>:"`) followed by a sticky value. A prefix of whole
  /// blocks (no open bytes) continues in the one-pass loop, inlined here.
  @inline(__always)
  func bucketHash(_ prefix: Murmur3.Hasher, _ value: UnsafeBufferPointer<UInt8>) -> UInt32 {
    if prefix.pendingCount == 0 {
      return Murmur3.hash(UnsafeRawBufferPointer(value), from: prefix.h, lengthBefore: prefix.length)
    }
    return prefix.finalize(appending: UnsafeRawBufferPointer(value))
  }

  /// A rollout without a sticky value hashes a random number in 1...99, as Unleash's engine does.
  @inline(__always)
  func randomStickinessHash(_ prefix: Murmur3.Hasher, _ random: inout SplitMix64) -> UInt32 {
    var hasher = prefix
    hasher.combine(decimal: 1 + Int(random.next(below: 99)))
    return hasher.finalize()
  }

  // MARK: Constraints

  /// Whether a constraint holds. The shapes compiled for speed (short IN lists, one short prefix, parsed
  /// numbers and versions) are decided here from words; the others read the value's text.
  @inline(__always)
  func constraintHolds(_ constraint: UnsafePointer<ConstraintRecord>, _ values: ContextValues) -> Bool {
    let packed = values.packed(Int(constraint.pointee.slot))
    if packed == 0 { return missingValueHolds(constraint) }
    let inverted = constraint.pointee.inverted
    let test = constraint.pointee.test
    // Tests one after another rather than a switch: a jump table's one indirect branch, taken to a
    // different test at each constraint of a strategy, is harder to predict than these.
    if test == .words {
      let key = values.shortKey(packed)
      var word = words.pointer(Int(constraint.pointee.operand))
      let end = word + Int(constraint.pointee.operandCount)
      var found = false
      while word < end {
        if word.pointee == key {
          found = true
          break
        }
        word += 1
      }
      return found != (constraint.pointee.negated != inverted)
    }
    let kind = ContextValues.kind(of: packed)
    // Bit tests, which LLVM keeps as branches (a chain of equality tests it would turn into a jump table).
    let bit = UInt16(1) &<< UInt16(test.rawValue)
    if bit & TestKind.semverKey.bit != 0 {
      if kind == .version {
        let key = values.parsedWord(packed)
        // Two prereleases of one version: only their identifiers order them (below).
        if key != constraint.pointee.word || key & 1 == 1 {
          return (constraint.pointee.low <= key && key <= constraint.pointee.high) != inverted
        }
      } else if kind != .none {
        return inverted  // a number, or neither: not a version
      }
    } else if bit & TestKind.numberRange.bit != 0 {
      if kind == .number {
        let number = Double(bitPattern: values.parsedWord(packed))
        let holds = Double(bitPattern: constraint.pointee.low) <= number && number <= Double(bitPattern: constraint.pointee.high)
        return holds != inverted
      } else if kind != .none {
        return inverted  // a version, or neither: not a number
      }
    } else if bit & TestKind.prefixWord.bit != 0 {
      let length = Int(constraint.pointee.operandCount)
      let holds = ContextValues.length(of: packed) >= length
        && values.firstWord(packed) & ShortWord.mask(length) == constraint.pointee.word
      return holds != inverted
    } else if bit & TestKind.number.bit != 0 {
      if kind == .number {
        let number = Double(bitPattern: values.parsedWord(packed))
        return constraint.pointee.ordinal.holds(number, constraint.pointee.number) != inverted
      } else if kind != .none {
        return inverted
      }
    } else if bit & TestKind.never.bit != 0 {
      return false
    }
    return testHolds(constraint, values.bytes(packed)) != inverted
  }

  /// A constraint on a field the context does not have.
  @inline(never)
  func missingValueHolds(_ constraint: UnsafePointer<ConstraintRecord>) -> Bool {
    if constraint.pointee.test == .never { return false }
    if constraint.pointee.slot == Int32(ContextField.currentTime.slot) {
      // Unleash reads a missing currentTime as now (a simulation sets it, to stay reproducible).
      let now = Timestamp.now()
      if constraint.pointee.test == .date {
        return constraint.pointee.ordinal.holds(compare(now, constraint.pointee.timestamp)) != constraint.pointee.inverted
      }
      return withUTF8Bytes(now.iso8601) { testHolds(constraint, $0) } != constraint.pointee.inverted
    }
    // A missing value is in no list, so NOT_IN holds; every other test fails.
    let test = constraint.pointee.test
    let holds = (test == .list || test == .words) && constraint.pointee.negated
    return holds != constraint.pointee.inverted
  }

  @inline(__always)
  func compare(_ a: Timestamp, _ b: Timestamp) -> Int { a < b ? -1 : (a == b ? 0 : 1) }

  /// A test on the value's text (every shape, the word-compiled ones included).
  func testHolds(_ constraint: UnsafePointer<ConstraintRecord>, _ value: UnsafeBufferPointer<UInt8>) -> Bool {
    switch constraint.pointee.test {
    case .never:
      return false
    case .list:
      return listContains(constraint.pointee.operand, value) != constraint.pointee.negated
    case .words:
      let key = value.count <= 7 ? ShortWord.make(value)! : ShortWord.long
      let run = Span(start: constraint.pointee.operand, count: constraint.pointee.operandCount)
      return run.range.contains { words[$0] == key } != constraint.pointee.negated
    case .prefixWord, .startsWith, .endsWith, .contains:
      return anyNeedle(constraint, in: value, fold: constraint.pointee.caseInsensitive)
    case .number, .numberRange:
      guard let number = RustFloat.parse(value) else { return false }
      return constraint.pointee.ordinal.holds(number, constraint.pointee.number)
    case .date:
      guard let instant = Timestamp.parseRelaxed(value) else { return false }
      return constraint.pointee.ordinal.holds(compare(instant, constraint.pointee.timestamp))
    case .semver, .semverKey:
      guard let order = compareVersion(value, semvers.pointer(Int(constraint.pointee.operand))) else { return false }
      return constraint.pointee.ordinal.holds(order)
    case .cidr:
      guard let address = IPAddress.parse(value[...]) else { return false }
      for index in Span(start: constraint.pointee.operand, count: constraint.pointee.operandCount).range
      where networks[index].contains(address) {
        return true
      }
      return false
    case .regex:
      guard let regex = regexes[Int(constraint.pointee.operand)] else { return false }
      return regex.isMatch(String(decoding: value, as: UTF8.self))
    }
  }

  /// STR_STARTS_WITH, STR_ENDS_WITH, STR_CONTAINS. Case-insensitive needles were lower-cased when
  /// compiled; ASCII text is folded in place, other text takes Unicode's lower-casing (and allocates).
  func anyNeedle(_ constraint: UnsafePointer<ConstraintRecord>, in value: UnsafeBufferPointer<UInt8>, fold: Bool) -> Bool {
    // The common case first: one needle, exact case, at the start or the end.
    let list = lists[Int(constraint.pointee.operand)]
    let test = constraint.pointee.test == .prefixWord ? TestKind.startsWith : constraint.pointee.test
    if !fold && list.count == 1 && test != .contains {
      let needle = string(Int(list.start))
      guard needle.count <= value.count else { return false }
      let offset = test == .startsWith ? 0 : value.count - needle.count
      return needle.count == 0 || memcmpEqual(value.baseAddress! + offset, needle.baseAddress!, needle.count)
    }
    if fold && value.contains(where: { $0 >= 0x80 }) {
      let lowered = String(decoding: value, as: UTF8.self).lowercased()
      return withUTF8Bytes(lowered) { anyNeedle(constraint, in: $0, fold: false) }
    }
    for index in list.range {
      let needle = string(index)
      let n = needle.count
      let h = value.count
      if n > h { continue }
      switch test {
      case .startsWith: if needleAt(value, at: 0, needle, folding: fold) { return true }
      case .endsWith: if needleAt(value, at: h - n, needle, folding: fold) { return true }
      default:
        if n == 0 { return true }
        for offset in 0...(h - n) where needleAt(value, at: offset, needle, folding: fold) { return true }
      }
    }
    return false
  }

  @inline(__always)
  func needleAt(_ haystack: UnsafeBufferPointer<UInt8>, at offset: Int, _ needle: UnsafeBufferPointer<UInt8>, folding: Bool) -> Bool {
    var index = 0
    if folding {
      while index < needle.count {
        if haystack[offset + index].asciiLowercased != needle[index] { return false }
        index += 1
      }
    } else {
      while index < needle.count {
        if haystack[offset + index] != needle[index] { return false }
        index += 1
      }
    }
    return true
  }

  /// Binary search in a sorted string list.
  @inline(__always)
  func listContains(_ list: Int32, _ value: UnsafeBufferPointer<UInt8>) -> Bool {
    let span = lists[Int(list)]
    var low = Int(span.start)
    var high = low + Int(span.count)
    while low < high {
      let middle = (low + high) / 2
      let order = bytesCompare(string(middle), value)
      if order == 0 { return true }
      if order < 0 { low = middle + 1 } else { high = middle }
    }
    return false
  }

  func listContainsUnsorted(_ list: Int32, _ value: UnsafeBufferPointer<UInt8>) -> Bool {
    for index in lists[Int(list)].range where bytesEqual(string(index), value) { return true }
    return false
  }

  /// Compares a context's version with a compiled one; `nil` when the context's is not a version.
  /// Allocates nothing; a release compared with a release never looks at prerelease identifiers.
  func compareVersion(_ bytes: UnsafeBufferPointer<UInt8>, _ operand: UnsafePointer<SemverRecord>) -> Int? {
    guard let core = SemanticVersion.Core.parse(bytes) else { return nil }
    if core.major != operand.pointee.major { return core.major < operand.pointee.major ? -1 : 1 }
    if core.minor != operand.pointee.minor { return core.minor < operand.pointee.minor ? -1 : 1 }
    if core.patch != operand.pointee.patch { return core.patch < operand.pointee.patch ? -1 : 1 }
    let identifiers = lists[Int(operand.pointee.prerelease)]
    let contextIsRelease = core.prereleaseStart == core.prereleaseEnd
    let operandIsRelease = identifiers.count == 0
    if contextIsRelease || operandIsRelease {
      return contextIsRelease == operandIsRelease ? 0 : (contextIsRelease ? 1 : -1)
    }
    var position = core.prereleaseStart
    var index = Int(identifiers.start)
    let end = index + Int(identifiers.count)
    while position < core.prereleaseEnd {
      guard index < end else { return 1 }  // more identifiers than the operand: higher
      var stop = position
      while stop < core.prereleaseEnd && bytes[stop] != UInt8(ascii: ".") { stop += 1 }
      let order = SemanticVersion.compareIdentifier(bytes[position..<stop], string(index)[...])
      if order != 0 { return order }
      index += 1
      position = stop + 1
    }
    return index == end ? 0 : -1
  }

  // MARK: Variants

  /// The chosen entry of variant set `index`: overrides first; then the bucket of the sticky value, or a
  /// random one when the context has no sticky value.
  func chooseVariant(_ index: Int, _ values: ContextValues, _ random: inout SplitMix64) -> Int {
    let set = variantSets[index]
    if set.hasOverrides {
      for entry in set.entries.range {
        for o in variantEntries[entry].overrides.range {
          let override = overrides[o]
          if let value = values.value(Int(override.slot)), listContains(override.values, value) { return entry }
        }
      }
    }
    let sticky: UnsafeBufferPointer<UInt8>?
    switch set.stickiness {
    case .default: sticky = values.value(ContextField.userId.slot) ?? values.value(ContextField.sessionId.slot)
    case .random: sticky = nil
    case .field: sticky = values.value(Int(set.stickinessSlot))
    }
    let target: UInt32
    if let sticky {
      target = bucketHash(set.prefix, sticky) % set.totalWeight + 1
    } else {
      // Uniform over 1...total like the sticky path. (yggdrasil draws 0..<total here, which favours the
      // first variant: with weights 1 and 1 it never picks the second.)
      target = random.next(below: set.totalWeight) + 1
    }
    var cumulative: UInt32 = 0
    for entry in set.entries.range {
      cumulative += variantEntries[entry].weight
      if cumulative >= target { return entry }
    }
    return set.entries.range.upperBound - 1
  }
}
