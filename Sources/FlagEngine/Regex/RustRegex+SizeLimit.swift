extension RustRegex {
  /// Estimates the size of the Thompson NFAs Rust's regex builds for a pattern (a forward
  /// one with capture states and a reverse one without), so that patterns over Rust's
  /// default `size_limit` of 10 MiB are refused here too instead of being compiled.
  ///
  /// The estimate follows regex-automata's compiler: 32 bytes per state, 8 per sparse
  /// transition, 4 per union alternative, with classes compiled to UTF-8 byte automata
  /// (suffix-shared forward, prefix-shared in reverse). Rust also factors common prefixes
  /// out of alternations, which this does not model, so the boundary is close to Rust's
  /// rather than exact.
  enum SizeLimit {
    static let limit: UInt64 = 10 << 20

    private static let state: UInt64 = 32
    private static let transition: UInt64 = 8
    private static let alternate: UInt64 = 4
    /// Fixed states: implicit capture group, unanchored prefix, match.
    private static let forwardOverhead: UInt64 = 300
    private static let reverseOverhead: UInt64 = 200

    struct Cost {
      var forward: UInt64
      var reverse: UInt64

      static func + (a: Cost, b: Cost) -> Cost {
        Cost(forward: add(a.forward, b.forward), reverse: add(a.reverse, b.reverse))
      }

      static func * (a: Cost, n: UInt64) -> Cost {
        Cost(forward: multiply(a.forward, n), reverse: multiply(a.reverse, n))
      }

      static func both(_ bytes: UInt64) -> Cost { Cost(forward: bytes, reverse: bytes) }
    }

    static func check(_ hir: Hir) throws(RustRegexError) {
      let cost = estimate(hir)
      if add(cost.forward, forwardOverhead) > limit || add(cost.reverse, reverseOverhead) > limit {
        throw RustRegexError("compiled regex exceeds size limit of \(limit) bytes", at: 0)
      }
    }

    static func estimate(_ hir: Hir) -> Cost {
      switch hir {
      case .empty, .look:
        return .both(state)
      case .literal(let scalars):
        let bytes = scalars.reduce(0) { $0 + UInt64(Hir.utf8Length($1.value)) }
        return .both(multiply(bytes, state))
      case .set(let set):
        return classCost(set)
      case .capture(let sub):
        let inner = estimate(sub)
        return Cost(forward: add(inner.forward, 2 * state), reverse: inner.reverse)
      case .concat(let subs):
        return subs.reduce(Cost.both(0)) { $0 + estimate($1) }
      case .alternation(let subs):
        let literals = subs.compactMap { sub -> [UInt8]? in
          guard case .literal(let scalars) = sub else { return nil }
          return scalars.flatMap { Array(String(Character($0)).utf8) }
        }
        if literals.count == subs.count {
          return Cost(forward: literalTrieCost(literals, reverse: false), reverse: literalTrieCost(literals, reverse: true))
        }
        let union = state + alternate * UInt64(subs.count)
        return subs.reduce(Cost.both(union + state)) { $0 + estimate($1) }
      case .repetition(let sub, let min, let max):
        return repetitionCost(sub, min: UInt64(min), max: max.map(UInt64.init))
      }
    }

    private static func repetitionCost(_ sub: Hir, min: UInt64, max: UInt64?) -> Cost {
      let one = estimate(sub)
      let union = state + 2 * alternate
      guard let max else {
        switch min {
        case 0:
          // A sub-expression that can match empty gets an extra union and empty state.
          if let length = sub.minimumLength, length > 0 { return one + .both(union) }
          return one + .both(2 * union + state)
        default:
          return one * min + .both(union)
        }
      }
      if min == 0 && max == 1 { return one + .both(union + state) }
      let prefix = min == 0 ? Cost.both(state) : one * min
      if min == max { return prefix }
      return prefix + .both(state) + (one + .both(union)) * (max - min)
    }

    // MARK: Literal alternations

    /// regex-automata compiles an alternation of literals as a trie whose states keep
    /// "chunks" (split at each match) for leftmost-first semantics: per trie state, one
    /// range or sparse state per non-empty chunk and one union over its chunks.
    private static func literalTrieCost(_ literals: [[UInt8]], reverse: Bool) -> UInt64 {
      struct TrieState {
        var transitions: [(byte: UInt8, next: Int)] = []
        var chunks: [(start: Int, end: Int)] = []
        var activeStart: Int { chunks.last?.end ?? 0 }
      }
      var states = [TrieState()]
      for literal in literals {
        var current = 0
        for byte in reverse ? literal.reversed() : literal {
          let start = states[current].activeStart
          let active = states[current].transitions[start...]
          if let existing = active.first(where: { $0.byte == byte }) {
            current = existing.next
            continue
          }
          let position = active.firstIndex(where: { $0.byte > byte }) ?? states[current].transitions.count
          states.append(TrieState())
          states[current].transitions.insert((byte, states.count - 1), at: position)
          current = states.count - 1
        }
        if states[current].transitions.isEmpty && !states[current].chunks.isEmpty { continue }
        states[current].chunks.append((states[current].activeStart, states[current].transitions.count))
      }
      var cost = state  // the shared end state
      for trieState in states where !trieState.transitions.isEmpty {
        var sizes = trieState.chunks.map { $0.end - $0.start }
        sizes.append(trieState.transitions.count - trieState.activeStart)
        var unionEntries = UInt64(sizes.count - 1)  // every chunk after the first can match
        for size in sizes where size > 0 {
          cost = add(cost, size == 1 ? state : state + transition * UInt64(size))
          unionEntries += 1
        }
        cost = add(cost, state + alternate * unionEntries)
      }
      return cost
    }

    // MARK: Classes

    private static func classCost(_ set: ScalarSet) -> Cost {
      if set.isEmpty { return .both(state) }
      if set.isASCII {
        // One sparse state plus the shared end state.
        return .both(2 * state + transition * UInt64(set.ranges.count))
      }
      var sequences: [Utf8Sequence] = []
      for range in set.ranges { utf8Sequences(range.lower, range.upper, into: &sequences) }
      return Cost(forward: forwardClassCost(sequences), reverse: reverseClassCost(sequences))
    }

    struct ByteRange: Hashable {
      var start: UInt8
      var end: UInt8
    }

    /// One to four byte ranges, packed to avoid an allocation per sequence.
    struct Utf8Sequence {
      private var packed: UInt64 = 0
      private(set) var count = 0

      /// The byte ranges between the encodings of `low` and `high`, which
      /// `utf8Sequences` guarantees have the same length.
      init(low: UInt32, high: UInt32) {
        let lowBytes = Self.encode(low)
        let highBytes = Self.encode(high)
        count = Hir.utf8Length(low)
        for index in 0..<count {
          let pair = UInt64(lowBytes >> UInt32(8 * index) & 0xFF) << 8 | UInt64(highBytes >> UInt32(8 * index) & 0xFF)
          packed |= pair << UInt64(16 * index)
        }
      }

      /// UTF-8 bytes of `value`, first byte lowest.
      private static func encode(_ value: UInt32) -> UInt32 {
        switch value {
        case ..<0x80:
          return value
        case ..<0x800:
          return (0xC0 | value >> 6) | (0x80 | value & 0x3F) << 8
        case ..<0x10000:
          return (0xE0 | value >> 12) | (0x80 | value >> 6 & 0x3F) << 8 | (0x80 | value & 0x3F) << 16
        default:
          return (0xF0 | value >> 18) | (0x80 | value >> 12 & 0x3F) << 8 | (0x80 | value >> 6 & 0x3F) << 16
            | (0x80 | value & 0x3F) << 24
        }
      }

      subscript(index: Int) -> ByteRange {
        let bits = packed >> UInt64(16 * index)
        return ByteRange(start: UInt8(truncatingIfNeeded: bits >> 8), end: UInt8(truncatingIfNeeded: bits))
      }
    }

    /// Splits scalars `lower...upper` into ranges of UTF-8 byte sequences, like
    /// regex-syntax's `Utf8Sequences`.
    static func utf8Sequences(_ lower: UInt32, _ upper: UInt32, into output: inout [Utf8Sequence]) {
      var stack: [(UInt32, UInt32)] = [(lower, upper)]
      while let (start, upper) = stack.popLast() {
        var end = upper
        inner: while true {
          if start < 0xE000 && end > 0xD7FF {
            stack.append((0xE000, end))
            end = 0xD7FF
            continue inner
          }
          if start > end { break inner }
          for max: UInt32 in [0x7F, 0x7FF, 0xFFFF] where start <= max && max < end {
            stack.append((max + 1, end))
            end = max
            continue inner
          }
          if end > 0x7F {
            for index: UInt32 in 1..<4 {
              let mask: UInt32 = (1 << (6 * index)) - 1
              if start & ~mask != end & ~mask {
                if start & mask != 0 {
                  stack.append(((start | mask) + 1, end))
                  end = start | mask
                  continue inner
                }
                if end & mask != mask {
                  stack.append((end & ~mask, end))
                  end = (end & ~mask) - 1
                  continue inner
                }
              }
            }
          }
          output.append(Utf8Sequence(low: start, high: end))
          break inner
        }
      }
    }

    /// regex-automata's `Utf8Compiler`: a trie whose finished suffixes are shared.
    private static func forwardClassCost(_ sequences: [Utf8Sequence]) -> UInt64 {
      var cost = state  // the shared target
      var compiled = IntegerMap(capacity: sequences.count * 2)
      var nodes: [[UInt64]] = [[]]  // by state ID; 0 is the target
      struct Node {
        var transitions: [UInt64] = []
        var last: ByteRange?
      }
      var uncompiled = [Node()]
      func pack(_ range: ByteRange, _ next: Int) -> UInt64 {
        UInt64(range.start) << 40 | UInt64(range.end) << 32 | UInt64(next)
      }
      func compile(_ transitions: [UInt64]) -> Int {
        var hash: UInt64 = 14_695_981_039_346_656_037
        for element in transitions { hash = (hash ^ element) &* 1_099_511_628_211 }
        return compiled.findOrInsert(hash, where: { nodes[$0] == transitions }) {
          cost = add(cost, state + transition * UInt64(transitions.count))
          nodes.append(transitions)
          return nodes.count - 1
        }
      }
      func compile(from: Int) {
        var next = 0
        while from + 1 < uncompiled.count {
          var node = uncompiled.removeLast()
          if let last = node.last { node.transitions.append(pack(last, next)) }
          next = compile(node.transitions)
        }
        let top = uncompiled.count - 1
        if let last = uncompiled[top].last {
          uncompiled[top].transitions.append(pack(last, next))
          uncompiled[top].last = nil
        }
      }
      for sequence in sequences {
        var prefix = 0
        while prefix < sequence.count && prefix < uncompiled.count && uncompiled[prefix].last == sequence[prefix] {
          prefix += 1
        }
        guard prefix < sequence.count else { continue }
        compile(from: prefix)
        uncompiled[uncompiled.count - 1].last = sequence[prefix]
        for index in (prefix + 1)..<sequence.count { uncompiled.append(Node(transitions: [], last: sequence[index])) }
      }
      compile(from: 0)
      _ = compile(uncompiled.removeLast().transitions)
      return cost
    }

    /// regex-automata's reverse class compilation without shrinking: one union over all
    /// sequences, sharing byte-range states keyed by (range, successor).
    private static func reverseClassCost(_ sequences: [Utf8Sequence]) -> UInt64 {
      var states = IntegerMap(capacity: sequences.count * 2)
      var count = 0
      for sequence in sequences {
        var end = 0  // the shared end state
        for index in 0..<sequence.count {
          let range = sequence[index]
          let key = UInt64(range.start) << 40 | UInt64(range.end) << 32 | UInt64(end)
          end = states.findOrInsert(key, where: { _ in true }) {
            count += 1
            return count
          }
        }
      }
      return state + alternate * UInt64(sequences.count) + state + state * UInt64(count)
    }

    /// Open addressing from 64-bit keys to integers. Swift's `Dictionary` hashes with
    /// SipHash, which dominated the estimate's cost for big classes like `\w`.
    private struct IntegerMap {
      private var keys: [UInt64]
      private var values: [Int]
      private var mask: Int
      private var count = 0

      init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = Array(repeating: 0, count: size)
        values = Array(repeating: -1, count: size)
        mask = size - 1
      }

      /// The value stored under `key` that satisfies `matches`, or `make()` stored anew.
      mutating func findOrInsert(_ key: UInt64, where matches: (Int) -> Bool, _ make: () -> Int) -> Int {
        if 2 * (count + 1) > keys.count { grow() }
        var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
        while values[slot] >= 0 {
          if keys[slot] == key && matches(values[slot]) { return values[slot] }
          slot = (slot + 1) & mask
        }
        let value = make()
        keys[slot] = key
        values[slot] = value
        count += 1
        return value
      }

      private mutating func grow() {
        let oldKeys = keys
        let oldValues = values
        keys = Array(repeating: 0, count: oldKeys.count * 2)
        values = Array(repeating: -1, count: oldKeys.count * 2)
        mask = keys.count - 1
        for index in oldKeys.indices where oldValues[index] >= 0 {
          var slot = Int(truncatingIfNeeded: (oldKeys[index] &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
          while values[slot] >= 0 { slot = (slot + 1) & mask }
          keys[slot] = oldKeys[index]
          values[slot] = oldValues[index]
        }
      }
    }

    // MARK: Saturating arithmetic

    static func add(_ a: UInt64, _ b: UInt64) -> UInt64 {
      let (sum, overflow) = a.addingReportingOverflow(b)
      return overflow ? .max : sum
    }

    static func multiply(_ a: UInt64, _ b: UInt64) -> UInt64 {
      let (product, overflow) = a.multipliedReportingOverflow(by: b)
      return overflow ? .max : product
    }
  }
}
