extension RustRegex {
  /// A set of Unicode scalar values kept as sorted, disjoint, non-adjacent closed ranges.
  ///
  /// Surrogate code points are never members: they are not scalar values, and Rust's
  /// `char` classes skip them the same way.
  struct ScalarSet: Sendable, Hashable {
    struct Range: Sendable, Hashable {
      var lower: UInt32
      var upper: UInt32
    }

    static let maxScalar: UInt32 = 0x10FFFF
    static let surrogates = Range(lower: 0xD800, upper: 0xDFFF)

    private(set) var ranges: [Range]

    init() { ranges = [] }

    /// Builds a set from ranges in any order, possibly overlapping.
    init(_ unsorted: [Range]) {
      ranges = unsorted
      canonicalize()
    }

    init(lower: UInt32, upper: UInt32) {
      self.init([Range(lower: lower, upper: upper)])
    }

    static let all = ScalarSet(lower: 0, upper: maxScalar)
    static let ascii = ScalarSet(lower: 0, upper: 0x7F)

    var isEmpty: Bool { ranges.isEmpty }

    var isASCII: Bool { ranges.last.map { $0.upper <= 0x7F } ?? true }

    /// The only member, when the set has exactly one.
    var singleScalar: UInt32? {
      ranges.count == 1 && ranges[0].lower == ranges[0].upper ? ranges[0].lower : nil
    }

    var count: Int { ranges.reduce(0) { $0 + Int($1.upper - $1.lower) + 1 } }

    func contains(_ value: UInt32) -> Bool {
      var low = 0
      var high = ranges.count
      while low < high {
        let mid = (low + high) / 2
        if ranges[mid].upper < value {
          low = mid + 1
        } else if ranges[mid].lower > value {
          high = mid
        } else {
          return true
        }
      }
      return false
    }

    mutating func insert(_ lower: UInt32, _ upper: UInt32) {
      ranges.append(Range(lower: lower, upper: upper))
      canonicalize()
    }

    mutating func formUnion(_ other: ScalarSet) {
      guard !other.isEmpty else { return }
      ranges.append(contentsOf: other.ranges)
      canonicalize()
    }

    func union(_ other: ScalarSet) -> ScalarSet {
      var copy = self
      copy.formUnion(other)
      return copy
    }

    /// The complement within all scalar values.
    func inverted() -> ScalarSet {
      var result: [Range] = []
      var next: UInt32 = 0
      for range in ranges {
        if range.lower > next { result.append(Range(lower: next, upper: range.lower - 1)) }
        next = range.upper + 1
      }
      if next <= Self.maxScalar { result.append(Range(lower: next, upper: Self.maxScalar)) }
      return ScalarSet(result)
    }

    func intersection(_ other: ScalarSet) -> ScalarSet {
      var result: [Range] = []
      var i = 0
      var j = 0
      while i < ranges.count && j < other.ranges.count {
        let a = ranges[i]
        let b = other.ranges[j]
        let lower = max(a.lower, b.lower)
        let upper = min(a.upper, b.upper)
        if lower <= upper { result.append(Range(lower: lower, upper: upper)) }
        if a.upper < b.upper { i += 1 } else { j += 1 }
      }
      var set = ScalarSet()
      set.ranges = result
      return set
    }

    func subtracting(_ other: ScalarSet) -> ScalarSet {
      intersection(other.inverted())
    }

    func symmetricDifference(_ other: ScalarSet) -> ScalarSet {
      union(other).subtracting(intersection(other))
    }

    /// Sorts, merges overlapping or adjacent ranges and drops surrogates.
    private mutating func canonicalize() {
      guard !ranges.isEmpty else { return }
      ranges.sort { $0.lower < $1.lower }
      var merged: [Range] = []
      merged.reserveCapacity(ranges.count)
      for range in ranges where range.lower <= range.upper {
        let clipped = Range(lower: range.lower, upper: min(range.upper, Self.maxScalar))
        guard clipped.lower <= clipped.upper else { continue }
        if let last = merged.last, clipped.lower <= last.upper &+ 1 {
          merged[merged.count - 1].upper = max(last.upper, clipped.upper)
        } else {
          merged.append(clipped)
        }
      }
      // Remove the surrogate block, splitting a range that spans it.
      var result: [Range] = []
      result.reserveCapacity(merged.count + 1)
      for range in merged {
        if range.upper < Self.surrogates.lower || range.lower > Self.surrogates.upper {
          result.append(range)
          continue
        }
        if range.lower < Self.surrogates.lower {
          result.append(Range(lower: range.lower, upper: Self.surrogates.lower - 1))
        }
        if range.upper > Self.surrogates.upper {
          result.append(Range(lower: Self.surrogates.upper + 1, upper: range.upper))
        }
      }
      ranges = result
    }
  }
}
