/// Runs `body` over the UTF-8 bytes of `string` without copying a native string.
@inline(__always)
func withUTF8Bytes<R>(_ string: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
  if let result = string.utf8.withContiguousStorageIfAvailable(body) { return result }
  var copy = string
  return copy.withUTF8(body)
}

/// Byte-wise equality, as Rust compares strings (no Unicode canonical equivalence).

func utf8Equal(_ a: String, _ b: String) -> Bool {
  let count = a.utf8.count
  guard count == b.utf8.count else { return false }
  return withUTF8Bytes(a) { a in
    withUTF8Bytes(b) { b in count == 0 || memcmpEqual(a.baseAddress!, b.baseAddress!, count) }
  }
}

@inline(__always)
func memcmpEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
  var index = 0
  while count - index >= 8 {
    if UnsafeRawPointer(a + index).loadUnaligned(as: UInt64.self)
      != UnsafeRawPointer(b + index).loadUnaligned(as: UInt64.self)
    {
      return false
    }
    index += 8
  }
  while index < count {
    if a[index] != b[index] { return false }
    index += 1
  }
  return true
}

extension UInt8 {
  var isASCIIDigit: Bool { self &- 48 < 10 }
  var isASCIIAlphanumeric: Bool { isASCIIDigit || (self | 0x20) &- 97 < 26 }
  var asciiLowercased: UInt8 { self &- 65 < 26 ? self | 0x20 : self }
}

/// Lexicographic order of two byte strings: -1, 0 or 1.
@inline(__always)
func bytesCompare(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
  let common = min(a.count, b.count)
  var index = 0
  while index < common {
    if a[index] != b[index] { return a[index] < b[index] ? -1 : 1 }
    index += 1
  }
  return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
}

/// Whether `a` and `b` hold the same bytes.
@inline(__always)
func bytesEqual(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
  a.count == b.count && (a.count == 0 || memcmpEqual(a.baseAddress!, b.baseAddress!, a.count))
}
