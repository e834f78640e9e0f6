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
