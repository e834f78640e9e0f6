/// A semantic version as Rust's `semver` crate reads it (the parser behind Unleash's `SEMVER_*`
/// operators): `MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]`, no leading zeros in numbers or numeric
/// prerelease identifiers, no `v` prefix, no white space. Comparison follows semver precedence and
/// ignores build metadata, as Unleash does.
public struct SemanticVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
  public var major: UInt64
  public var minor: UInt64
  public var patch: UInt64
  /// Prerelease identifiers; empty for a release.
  public var prerelease: [String]
  public var build: String

  public init?(_ text: String) {
    let parsed: (Core, String, String)? = withUTF8Bytes(text) { bytes in
      guard let core = Core.parse(bytes) else { return nil }
      let pre = String(decoding: UnsafeBufferPointer(rebasing: bytes[core.prereleaseStart..<core.prereleaseEnd]), as: UTF8.self)
      let build = core.prereleaseEnd < bytes.count
        ? String(decoding: UnsafeBufferPointer(rebasing: bytes[(core.prereleaseEnd + 1)...]), as: UTF8.self) : ""
      return (core, pre, build)
    }
    guard let (core, pre, build) = parsed else { return nil }
    major = core.major
    minor = core.minor
    patch = core.patch
    prerelease = pre.isEmpty ? [] : pre.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    self.build = build
  }

  public var description: String {
    var text = "\(major).\(minor).\(patch)"
    if !prerelease.isEmpty { text += "-" + prerelease.joined(separator: ".") }
    if !build.isEmpty { text += "+" + build }
    return text
  }

  public static func == (a: SemanticVersion, b: SemanticVersion) -> Bool { compare(a, b) == 0 }
  public static func < (a: SemanticVersion, b: SemanticVersion) -> Bool { compare(a, b) < 0 }
  public func hash(into hasher: inout Hasher) {
    hasher.combine(major)
    hasher.combine(minor)
    hasher.combine(patch)
    hasher.combine(prerelease)
  }

  static func compare(_ a: SemanticVersion, _ b: SemanticVersion) -> Int {
    if a.major != b.major { return a.major < b.major ? -1 : 1 }
    if a.minor != b.minor { return a.minor < b.minor ? -1 : 1 }
    if a.patch != b.patch { return a.patch < b.patch ? -1 : 1 }
    return comparePrerelease(a.prerelease, b.prerelease)
  }

  static func comparePrerelease(_ a: [String], _ b: [String]) -> Int {
    if a.isEmpty || b.isEmpty { return a.isEmpty == b.isEmpty ? 0 : (a.isEmpty ? 1 : -1) }
    for (x, y) in zip(a, b) {
      let order = withUTF8Bytes(x) { x in withUTF8Bytes(y) { y in compareIdentifier(x[...], y[...]) } }
      if order != 0 { return order }
    }
    return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
  }

  /// Compares two prerelease identifiers: numeric ones by value, numeric before alphanumeric,
  /// alphanumeric ones by ASCII order.
  
  static func compareIdentifier(_ x: Slice<UnsafeBufferPointer<UInt8>>, _ y: Slice<UnsafeBufferPointer<UInt8>>) -> Int {
    let xNumeric = x.allSatisfy(\.isASCIIDigit)
    let yNumeric = y.allSatisfy(\.isASCIIDigit)
    if xNumeric && yNumeric {
      // No leading zeros, so a longer number is larger.
      if x.count != y.count { return x.count < y.count ? -1 : 1 }
    } else if xNumeric != yNumeric {
      return xNumeric ? -1 : 1
    }
    for (p, q) in zip(x, y) where p != q { return p < q ? -1 : 1 }
    return x.count == y.count ? 0 : (x.count < y.count ? -1 : 1)
  }

  /// A version read in place: the three numbers and where the prerelease lies in the bytes.
  /// Parsing a context value this way allocates nothing.
  
  struct Core {
    var major: UInt64
    var minor: UInt64
    var patch: UInt64
    /// `prereleaseStart..<prereleaseEnd` holds the prerelease without its `-`; empty for a release.
    var prereleaseStart: Int
    var prereleaseEnd: Int

    
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Core? {
      guard let base = bytes.baseAddress, bytes.count >= 5 else { return nil }
      var p = base
      let end = base + bytes.count
      guard let major = number(&p, end), p < end, p.pointee == UInt8(ascii: ".") else { return nil }
      p += 1
      guard let minor = number(&p, end), p < end, p.pointee == UInt8(ascii: ".") else { return nil }
      p += 1
      guard let patch = number(&p, end) else { return nil }
      if p == end {
        return Core(major: major, minor: minor, patch: patch, prereleaseStart: bytes.count, prereleaseEnd: bytes.count)
      }
      var index = p - base
      var start = index
      var stop = index
      if bytes[index] == UInt8(ascii: "-") {
        start = index + 1
        guard let after = identifiers(bytes, from: start, numericRule: true) else { return nil }
        stop = after
        index = after
      }
      if index < bytes.count && bytes[index] == UInt8(ascii: "+") {
        guard let after = identifiers(bytes, from: index + 1, numericRule: false) else { return nil }
        index = after
      }
      guard index == bytes.count else { return nil }
      return Core(major: major, minor: minor, patch: patch, prereleaseStart: start, prereleaseEnd: stop)
    }

    /// A version number: `0` or digits without a leading zero, at most `UInt64.max`.
    @inline(__always)
    static func number(_ p: inout UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> UInt64? {
      let start = p
      var value: UInt64 = 0
      while p < end {
        let digit = p.pointee &- 48
        if digit >= 10 { break }
        let (times10, o1) = value.multipliedReportingOverflow(by: 10)
        let (sum, o2) = times10.addingReportingOverflow(UInt64(digit))
        if o1 || o2 { return nil }
        value = sum
        p += 1
      }
      let length = p - start
      if length == 0 || (length > 1 && start.pointee == UInt8(ascii: "0")) { return nil }
      return value
    }

    /// Dot-separated identifiers of `[0-9A-Za-z-]`; returns where they end.
    
    static func identifiers(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, numericRule: Bool) -> Int? {
      var index = start
      while true {
        let identifierStart = index
        var allDigits = true
        while index < bytes.count && (bytes[index].isASCIIAlphanumeric || bytes[index] == UInt8(ascii: "-")) {
          if !bytes[index].isASCIIDigit { allDigits = false }
          index += 1
        }
        let length = index - identifierStart
        if length == 0 { return nil }
        if numericRule && allDigits && length > 1 && bytes[identifierStart] == UInt8(ascii: "0") { return nil }
        if index < bytes.count && bytes[index] == UInt8(ascii: ".") {
          index += 1
          continue
        }
        return index
      }
    }
  }
}

/// A compiled semver operand: the version, and its prerelease identifiers as bytes for fast comparison.

struct SemverOperand: Sendable {
  let version: SemanticVersion
  let prerelease: [[UInt8]]

  init(_ version: SemanticVersion) {
    self.version = version
    prerelease = version.prerelease.map { Array($0.utf8) }
  }

  /// Compares the context value `bytes` with this operand; `nil` when `bytes` is not a version.
  /// Allocates nothing.
  
  func compare(contextValue bytes: UnsafeBufferPointer<UInt8>) -> Int? {
    guard let core = SemanticVersion.Core.parse(bytes) else { return nil }
    if core.major != version.major { return core.major < version.major ? -1 : 1 }
    if core.minor != version.minor { return core.minor < version.minor ? -1 : 1 }
    if core.patch != version.patch { return core.patch < version.patch ? -1 : 1 }
    let contextIsRelease = core.prereleaseStart == core.prereleaseEnd
    if contextIsRelease || prerelease.isEmpty {
      return contextIsRelease == prerelease.isEmpty ? 0 : (contextIsRelease ? 1 : -1)
    }
    var position = core.prereleaseStart
    var index = 0
    while position < core.prereleaseEnd {
      guard index < prerelease.count else { return 1 }  // more identifiers than the operand
      var stop = position
      while stop < core.prereleaseEnd && bytes[stop] != UInt8(ascii: ".") { stop += 1 }
      let order = prerelease[index].withUnsafeBufferPointer { operand in
        SemanticVersion.compareIdentifier(bytes[position..<stop], operand[...])
      }
      if order != 0 { return order }
      index += 1
      position = stop + 1
    }
    return index == prerelease.count ? 0 : -1
  }
}
