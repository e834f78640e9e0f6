extension RustRegex {
  /// A compiled pattern: a Thompson NFA over Unicode scalars, plus what the matcher
  /// precomputes to avoid work (a literal plan, start anchoring, a first-scalar filter).
  struct Program: Sendable {
    enum Opcode: UInt8, Sendable {
      /// Consumes `argument` (a scalar value).
      case scalar
      /// Consumes a member of `classes[argument]`.
      case set
      /// Consumes any scalar.
      case any
      /// Passes if `Look(rawValue: argument)` holds here.
      case look
      /// Continues at both `next` and `alternative`.
      case split
      case match
    }

    struct Instruction: Sendable {
      var opcode: Opcode
      var argument: UInt32
      var next: Int32
      var alternative: Int32
    }

    /// A class for matching: an ASCII bitmap and sorted bounds of its non-ASCII ranges.
    struct ScalarClass: Sendable {
      var asciiLow: UInt64 = 0
      var asciiHigh: UInt64 = 0
      /// Offset and count (in ranges) into `Program.bounds`.
      var boundsStart: Int32 = 0
      var rangeCount: Int32 = 0
    }

    /// Patterns that are a literal, maybe anchored, are matched by a byte search.
    enum LiteralPlan: Sendable {
      case always
      case contains([UInt8])
      case prefix([UInt8])
      case suffix([UInt8])
      case equals([UInt8])
    }

    /// Compiled programs above this many instructions are refused; Rust's own size limit
    /// normally refuses such patterns first.
    static let instructionLimit = 1 << 20

    private(set) var instructions = ContiguousArray<Instruction>()
    private(set) var classes = ContiguousArray<ScalarClass>()
    private(set) var bounds = ContiguousArray<UInt32>()
    private(set) var start: Int32 = 0
    /// Every match starts at the beginning of the text.
    private(set) var anchoredStart = false
    private(set) var literalPlan: LiteralPlan?
    /// Index into `classes` of the scalars that can begin a match, when a match must
    /// begin by consuming one.
    private(set) var firstScalars: Int32?

    init(_ hir: Hir) throws(RustRegexError) {
      let plain = Self.withoutCaptures(hir)
      literalPlan = Self.literalPlan(plain)
      anchoredStart = Self.isAnchoredAtStart(plain)
      let matchPC = try add(Instruction(opcode: .match, argument: 0, next: -1, alternative: -1))
      start = try emit(plain, then: matchPC)
      firstScalars = computeFirstScalars()
    }

    // MARK: Emission

    private mutating func add(_ instruction: Instruction) throws(RustRegexError) -> Int32 {
      guard instructions.count < Self.instructionLimit else {
        throw RustRegexError("compiled regex exceeds size limit", at: 0)
      }
      instructions.append(instruction)
      return Int32(instructions.count - 1)
    }

    private mutating func consume(_ opcode: Opcode, _ argument: UInt32, then next: Int32) throws(RustRegexError) -> Int32 {
      try add(Instruction(opcode: opcode, argument: argument, next: next, alternative: -1))
    }

    private mutating func split(_ first: Int32, _ second: Int32) throws(RustRegexError) -> Int32 {
      try add(Instruction(opcode: .split, argument: 0, next: first, alternative: second))
    }

    /// Emits `hir` so that it continues at `next`; returns its entry. Emitting back to
    /// front avoids patch lists.
    private mutating func emit(_ hir: Hir, then next: Int32) throws(RustRegexError) -> Int32 {
      switch hir {
      case .empty:
        return next
      case .literal(let scalars):
        var entry = next
        for scalar in scalars.reversed() { entry = try consume(.scalar, scalar.value, then: entry) }
        return entry
      case .set(let set):
        if set.ranges == ScalarSet.all.ranges { return try consume(.any, 0, then: next) }
        if let single = set.singleScalar { return try consume(.scalar, single, then: next) }
        return try consume(.set, addClass(set), then: next)
      case .look(let look):
        return try add(Instruction(opcode: .look, argument: UInt32(look.rawValue), next: next, alternative: -1))
      case .capture(let sub):
        return try emit(sub, then: next)
      case .concat(let subs):
        var entry = next
        for sub in subs.reversed() { entry = try emit(sub, then: entry) }
        return entry
      case .alternation(let subs):
        var entries: [Int32] = []
        for sub in subs { entries.append(try emit(sub, then: next)) }
        var entry = entries[entries.count - 1]
        for branch in entries.dropLast().reversed() { entry = try split(branch, entry) }
        return entry
      case .repetition(let sub, let min, let max):
        var entry = next
        if let max {
          // Optional copies, innermost first: (x(x(x)?)?)?
          for _ in 0..<(max - min) {
            let body = try emit(sub, then: entry)
            entry = try split(body, next)
          }
        } else {
          // A loop: split -> sub -> split, or on to `next`.
          let loop = try split(-1, next)
          let body = try emit(sub, then: loop)
          instructions[Int(loop)].next = body
          entry = loop
        }
        for _ in 0..<min { entry = try emit(sub, then: entry) }
        return entry
      }
    }

    private mutating func addClass(_ set: ScalarSet) -> UInt32 {
      classes.append(makeClass(set))
      return UInt32(classes.count - 1)
    }

    private mutating func makeClass(_ set: ScalarSet) -> ScalarClass {
      var scalarClass = ScalarClass()
      scalarClass.boundsStart = Int32(bounds.count)
      for range in set.ranges {
        var lower = range.lower
        while lower <= range.upper && lower < 0x80 {
          if lower < 64 { scalarClass.asciiLow |= 1 << UInt64(lower) } else { scalarClass.asciiHigh |= 1 << UInt64(lower - 64) }
          lower += 1
        }
        if lower <= range.upper {
          bounds.append(lower)
          bounds.append(range.upper)
          scalarClass.rangeCount += 1
        }
      }
      return scalarClass
    }

    // MARK: Analysis

    /// Capture groups do not affect whether something matches.
    private static func withoutCaptures(_ hir: Hir) -> Hir {
      switch hir {
      case .capture(let sub): return withoutCaptures(sub)
      case .concat(let subs): return Hir.makeConcat(subs.map(withoutCaptures))
      case .alternation(let subs): return .alternation(subs.map(withoutCaptures))
      case .repetition(let sub, let min, let max): return .repetition(withoutCaptures(sub), min: min, max: max)
      case .empty, .literal, .set, .look: return hir
      }
    }

    private static func literalPlan(_ hir: Hir) -> LiteralPlan? {
      var parts: [Hir]
      switch hir {
      case .empty: return .always
      case .concat(let subs): parts = subs
      default: parts = [hir]
      }
      var anchoredStart = false
      var anchoredEnd = false
      if case .look(.start)? = parts.first {
        anchoredStart = true
        parts.removeFirst()
      }
      if case .look(.end)? = parts.last {
        anchoredEnd = true
        parts.removeLast()
      }
      var bytes: [UInt8] = []
      switch parts.count {
      case 0: break
      case 1:
        guard case .literal(let scalars) = parts[0] else { return nil }
        for scalar in scalars { bytes.append(contentsOf: String(Character(scalar)).utf8) }
      default: return nil
      }
      switch (anchoredStart, anchoredEnd) {
      case (false, false): return bytes.isEmpty ? .always : .contains(bytes)
      case (true, false): return .prefix(bytes)
      case (false, true): return .suffix(bytes)
      case (true, true): return .equals(bytes)
      }
    }

    private static func isAnchoredAtStart(_ hir: Hir) -> Bool {
      switch hir {
      case .look(.start): return true
      case .concat(let subs): return subs.first.map(isAnchoredAtStart) ?? false
      case .alternation(let subs): return subs.allSatisfy(isAnchoredAtStart)
      case .repetition(let sub, let min, _): return min > 0 && isAnchoredAtStart(sub)
      default: return false
      }
    }

    /// The scalars a match can begin with, treating every assertion as passable; nil
    /// when a match might consume nothing or begin with any scalar.
    private mutating func computeFirstScalars() -> Int32? {
      var seen = Set<Int32>()
      var stack = [start]
      var union: [ScalarSet.Range] = []
      while let pc = stack.popLast() {
        guard seen.insert(pc).inserted else { continue }
        let instruction = instructions[Int(pc)]
        switch instruction.opcode {
        case .match, .any:
          return nil
        case .look:
          stack.append(instruction.next)
        case .split:
          stack.append(instruction.next)
          stack.append(instruction.alternative)
        case .scalar:
          union.append(ScalarSet.Range(lower: instruction.argument, upper: instruction.argument))
        case .set:
          let scalarClass = classes[Int(instruction.argument)]
          for bit in 0..<128 where Self.asciiBit(scalarClass, UInt32(bit)) {
            union.append(ScalarSet.Range(lower: UInt32(bit), upper: UInt32(bit)))
          }
          let first = Int(scalarClass.boundsStart)
          for index in 0..<Int(scalarClass.rangeCount) {
            union.append(ScalarSet.Range(lower: bounds[first + 2 * index], upper: bounds[first + 2 * index + 1]))
          }
        }
      }
      let set = ScalarSet(union)
      if set.count > 0x10000 { return nil }  // filters little, costs a lookup per scalar
      classes.append(makeClass(set))
      return Int32(classes.count - 1)
    }

    @inline(__always)
    static func asciiBit(_ scalarClass: ScalarClass, _ value: UInt32) -> Bool {
      value < 64 ? scalarClass.asciiLow & (1 << UInt64(value)) != 0 : scalarClass.asciiHigh & (1 << UInt64(value - 64)) != 0
    }
  }
}
