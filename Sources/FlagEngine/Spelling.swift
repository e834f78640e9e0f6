/// "Did you mean …?" for names a user types: scenario keys, flag names, enumeration values.
public enum Spelling {
  /// The candidate closest to `name` by edit distance (insertions, deletions, substitutions and swaps of
  /// neighbours, ignoring case), when it is close enough to be a slip rather than another word: at most 1
  /// edit for names of up to 4 characters, 2 up to 8, 3 beyond. `nil` when none is.
  public static func suggestion(for name: String, among candidates: some Sequence<String>) -> String? {
    let typed = Array(name.lowercased().unicodeScalars)
    let allowed = typed.count <= 4 ? 1 : typed.count <= 8 ? 2 : 3
    var best: (name: String, distance: Int)?
    for candidate in candidates where candidate != name {
      let distance = editDistance(typed, Array(candidate.lowercased().unicodeScalars), limit: allowed)
      if distance <= allowed, distance < best?.distance ?? .max { best = (candidate, distance) }
    }
    return best?.name
  }

  /// Optimal string alignment distance; anything above `limit` is reported as `limit + 1`.
  static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], limit: Int) -> Int {
    if abs(a.count - b.count) > limit { return limit + 1 }
    if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
    var before = [Int](repeating: 0, count: b.count + 1)
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
      current[0] = i
      var rowMinimum = i
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { value = min(value, before[j - 2] + 1) }
        current[j] = value
        rowMinimum = min(rowMinimum, value)
      }
      if rowMinimum > limit { return limit + 1 }
      (before, previous, current) = (previous, current, before)
    }
    return previous[b.count]
  }
}
