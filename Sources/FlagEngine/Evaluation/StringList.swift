/// A set of strings compared byte by byte, as Rust compares them (no Unicode canonical equivalence).
/// Sorted, so membership is a binary search that allocates nothing.

struct StringList: Sendable {
  let sorted: [String]

  init(_ values: [String]) {
    var unique: [String] = []
    for value in values.sorted(by: { utf8Compare($0, $1) < 0 }) where unique.last.map({ !utf8Equal($0, value) }) ?? true {
      unique.append(value)
    }
    sorted = unique
  }

  var isEmpty: Bool { sorted.isEmpty }

  /// - Complexity: O(log n) comparisons.
  
  func contains(_ value: String) -> Bool {
    var low = 0
    var high = sorted.count
    while low < high {
      let middle = (low + high) / 2
      let order = utf8Compare(sorted[middle], value)
      if order == 0 { return true }
      if order < 0 { low = middle + 1 } else { high = middle }
    }
    return false
  }
}

/// Lexicographic order of UTF-8 bytes: -1, 0 or 1.

func utf8Compare(_ a: String, _ b: String) -> Int {
  withUTF8Bytes(a) { a in
    withUTF8Bytes(b) { b in
      let common = min(a.count, b.count)
      var index = 0
      while index < common {
        if a[index] != b[index] { return a[index] < b[index] ? -1 : 1 }
        index += 1
      }
      return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }
  }
}
