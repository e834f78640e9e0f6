import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Standard output through a buffer: one `write` per 64 KiB, not one per line.
struct OutputBuffer {
  static let capacity = 1 << 16
  private(set) var bytes: [UInt8] = []

  init() { bytes.reserveCapacity(Self.capacity + 4096) }

  mutating func append(_ text: StaticString) {
    bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
  }

  mutating func append(_ value: Bool) { value ? append("true") : append("false") }

  /// `text` as a JSON string literal (RFC 8259 escapes), as `JSONValue.quote` writes it.
  mutating func appendQuoted(_ text: String) {
    bytes.append(UInt8(ascii: "\""))
    var text = text
    text.withUTF8 { utf8 in
      for byte in utf8 {
        switch byte {
        case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\\")); bytes.append(byte)
        case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\")); bytes.append(byte)
        case 0x0A: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "n"))
        case 0x0D: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "t"))
        case 0..<0x20:
          let hex = Array("0123456789abcdef".utf8)
          bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
          bytes.append(hex[Int(byte >> 4)])
          bytes.append(hex[Int(byte & 15)])
        default: bytes.append(byte)
        }
      }
    }
    bytes.append(UInt8(ascii: "\""))
  }

  /// Writes out what is buffered once it is full.
  mutating func flushIfFull() throws {
    if bytes.count >= Self.capacity { try flush() }
  }

  mutating func flush() throws {
    var offset = 0
    while offset < bytes.count {
      let written = bytes.withUnsafeBytes { write(1, $0.baseAddress! + offset, $0.count - offset) }
      if written < 0 {
        if errno == EINTR { continue }
        throw Failure.input("cannot write the answers (\(String(cString: strerror(errno))))")
      }
      offset += written
    }
    bytes.removeAll(keepingCapacity: true)
  }
}
