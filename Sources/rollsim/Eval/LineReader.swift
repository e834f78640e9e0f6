import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Reads a file or standard input line by line through one fixed buffer, so that memory does not grow
/// with the input: it holds one chunk and the line being read (at most `maximumLineLength` bytes).
struct LineReader {
  /// A longer line is refused: a context is a few hundred bytes, and a stream with no line breaks
  /// would otherwise be read whole.
  static let maximumLineLength = 16 << 20
  static let chunk = 1 << 20

  /// How the input is named in messages: the path, or `stdin`.
  let name: String
  private let descriptor: Int32
  private let owned: Bool

  /// Opens `path` (`-` for standard input).
  init(path: String) throws {
    name = path == "-" ? "stdin" : path
    if path == "-" {
      descriptor = 0
      owned = false
    } else {
      descriptor = open(path, O_RDONLY | O_CLOEXEC)
      guard descriptor >= 0 else {
        throw Failure.input("\(path): cannot read the file (\(String(cString: strerror(errno))))")
      }
      owned = true
    }
  }

  func close() {
    if owned { _ = Glibc.close(descriptor) }
  }

  /// Calls `body` with each line (without its `\n`) and its number, from 1; the last line may lack a
  /// line break. The bytes are valid only during the call.
  func forEachLine(_ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Void) throws {
    var capacity = Self.chunk
    var buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
    defer { buffer.deallocate() }
    // Bytes start..<end of the buffer are read and not yet handed out.
    var start = 0
    var end = 0
    var number = 0
    while true {
      // Move the unfinished line to the front, growing the buffer only for a line longer than it.
      if start > 0 {
        if end > start { memmove(buffer, buffer + start, end - start) }
        end -= start
        start = 0
      }
      if end == capacity {
        guard capacity < Self.maximumLineLength else {
          throw Failure.input("\(name):\(number + 1): the line is longer than \(Self.maximumLineLength >> 20) MiB")
        }
        let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: min(capacity * 2, Self.maximumLineLength))
        larger.update(from: buffer, count: end)
        buffer.deallocate()
        buffer = larger
        capacity = min(capacity * 2, Self.maximumLineLength)
      }
      let count = read(descriptor, buffer + end, capacity - end)
      if count < 0 {
        if errno == EINTR { continue }
        throw Failure.input("\(name): cannot read (\(String(cString: strerror(errno))))")
      }
      if count == 0 {
        if end > start {
          number += 1
          try body(UnsafeBufferPointer(start: buffer + start, count: end - start), number)
        }
        return
      }
      // Hand out every complete line; only the new bytes are searched for line breaks.
      var scan = end
      end += count
      while let found = memchr(buffer + scan, 0x0A, end - scan) {
        let newline = buffer.distance(to: found.assumingMemoryBound(to: UInt8.self))
        number += 1
        try body(UnsafeBufferPointer(start: buffer + start, count: newline - start), number)
        start = newline + 1
        scan = start
      }
    }
  }
}
