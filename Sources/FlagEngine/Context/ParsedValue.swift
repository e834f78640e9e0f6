/// A context value read once as what numeric and version constraints compare: a number (Rust's `f64`
/// grammar) or a version (`MAJOR.MINOR.PATCH`, packed as a `VersionKey`). `EvaluationContext` keeps one
/// beside the text of each field a compiled state reads that way, so evaluations compare words.
struct ParsedValue {
  enum Kind: UInt8 {
    /// Not parsed: evaluation reads the text (fields no state compiled so far compares as numbers, or
    /// versions whose numbers do not fit a `VersionKey`).
    case none = 0
    /// `word` holds the `Double`'s bits.
    case number = 1
    /// `word` is a `VersionKey`.
    case version = 2
    /// Neither a number nor a version: numeric and version tests are false.
    case neither = 3
  }

  let kind: Kind
  let word: UInt64

  init(_ bytes: UnsafeBufferPointer<UInt8>) {
    let number = RustFloat.parse(bytes)
    let version = SemanticVersion.Core.parse(bytes)
    switch (number, version) {
    case (let number?, nil):
      kind = .number
      word = number.bitPattern
    case (nil, let core?):
      if let key = VersionKey.make(core.major, core.minor, core.patch, isRelease: core.prereleaseStart == core.prereleaseEnd) {
        kind = .version
        word = key
      } else {
        (kind, word) = (.none, 0)
      }
    case (nil, nil):
      (kind, word) = (.neither, 0)
    default:
      (kind, word) = (.none, 0)  // both readings: leave it to the text (no such value is known)
    }
  }
}

/// A version as one word ordered as semver orders versions, prerelease identifiers aside: the three
/// numbers (21 bits each), then 1 for a release and 0 for a prerelease (a prerelease precedes its release).
/// Two equal keys ending in 0 are two prereleases of one version: only their identifiers can order them.
enum VersionKey {
  static func make(_ major: UInt64, _ minor: UInt64, _ patch: UInt64, isRelease: Bool) -> UInt64? {
    let limit: UInt64 = 1 << 21
    guard major < limit, minor < limit, patch < limit else { return nil }
    return major << 43 | minor << 22 | patch << 1 | (isRelease ? 1 : 0)
  }
}

/// A string of at most 7 bytes as one word: its bytes little-endian, its length in the top byte. Equal
/// strings, equal words; so IN over short values compares words, without hashing or comparing bytes.
enum ShortWord {
  /// The key of every longer string: no short string has it (its top byte is at most 7).
  static let long = UInt64.max

  static func make(_ bytes: some Collection<UInt8>) -> UInt64? {
    guard bytes.count <= 7 else { return nil }
    var word: UInt64 = 0
    for (index, byte) in bytes.enumerated() { word |= UInt64(byte) << (8 * UInt64(index)) }
    return word | UInt64(bytes.count) << 56
  }

  /// The low `length` bytes of a word (`length` in 0...8).
  @inline(__always)
  static func mask(_ length: Int) -> UInt64 {
    length >= 8 ? UInt64.max : (1 &<< UInt64(8 * length)) &- 1
  }
}
