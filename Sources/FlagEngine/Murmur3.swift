/// MurmurHash3 x86_32, the hash Unleash uses for rollout buckets and variant selection.
///
/// `Murmur3` hashes whole byte sequences; `Murmur3.Hasher` hashes them in pieces, so a caller can
/// hash a fixed prefix such as `"groupId:"` once and continue from it for every stickiness value.
public enum Murmur3 {
  @usableFromInline static let c1: UInt32 = 0xcc9e_2d51
  @usableFromInline static let c2: UInt32 = 0x1b87_3593

  /// Hashes `bytes` with `seed`.
  ///
  /// - Complexity: O(n) in the number of bytes.
  @inlinable
  public static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt32 = 0) -> UInt32 {
    hash(bytes, from: seed, lengthBefore: 0)
  }

  /// Hashes `bytes` from the state `h` left by `lengthBefore` bytes already absorbed in whole blocks.
  @inlinable @inline(__always)
  static func hash(_ bytes: UnsafeRawBufferPointer, from h: UInt32, lengthBefore: Int) -> UInt32 {
    // One pass over whole blocks and the tail, without the incremental hasher's open-block state;
    // wrapping arithmetic throughout, so the loop carries no overflow checks.
    let count = bytes.count
    guard let base = bytes.baseAddress else { return finalize(h, length: lengthBefore) }
    var h = h
    var p = base
    let blocksEnd = base + (count & ~3)
    while p < blocksEnd {
      h ^= mixBlock(UInt32(littleEndian: p.loadUnaligned(as: UInt32.self)))
      h = rotateLeft(h, 13)
      h = h &* 5 &+ 0xe654_6b64
      p += 4
    }
    let rest = count & 3
    if rest != 0 {
      let tail = p.assumingMemoryBound(to: UInt8.self)
      var k = UInt32(tail[0])
      if rest > 1 { k |= UInt32(tail[1]) << 8 }
      if rest > 2 { k |= UInt32(tail[2]) << 16 }
      h ^= mixBlock(k)
    }
    return finalize(h, length: lengthBefore &+ count)
  }

  /// The final mix of MurmurHash3 x86_32.
  @inlinable @inline(__always)
  static func finalize(_ h: UInt32, length: Int) -> UInt32 {
    var h = h ^ UInt32(truncatingIfNeeded: length)
    h ^= h >> 16
    h = h &* 0x85eb_ca6b
    h ^= h >> 13
    h = h &* 0xc2b2_ae35
    h ^= h >> 16
    return h
  }

  /// Hashes the UTF-8 bytes of `string` with `seed`.
  @inlinable
  public static func hash(_ string: String, seed: UInt32 = 0) -> UInt32 {
    var string = string
    return string.withUTF8 { hash(UnsafeRawBufferPointer($0), seed: seed) }
  }

  @inlinable @inline(__always)
  static func mixBlock(_ k: UInt32) -> UInt32 {
    rotateLeft(k &* c1, 15) &* c2
  }

  /// `x` rotated left by `count` bits, as one `rol`. Written with shifts, `(x << 15) | (x >> 17)` right
  /// after a multiply by a constant loses the rotation: LLVM folds the `<< 15` into a second multiply
  /// (`imul; imul; shr; or` where gcc emits `imul; rol`: two more instructions per block). Masked
  /// shifts (`&<<`, as swift-numerics' `rotated(left:)` writes it) fold the same way; LLVM's funnel
  /// shift, named directly, is kept whole on every target.
  @inlinable @inline(__always)
  static func rotateLeft(_ x: UInt32, _ count: UInt32) -> UInt32 {
    funnelShiftLeft(x, x, count)
  }

  /// An incremental MurmurHash3 x86_32 state. A value type: copy it to fork a prefix.
  @frozen
  public struct Hasher: Sendable {
    @usableFromInline var h: UInt32
    /// Bytes of an incomplete 4-byte block, little-endian, waiting for more input.
    @usableFromInline var pending: UInt32 = 0
    @usableFromInline var pendingCount: Int = 0
    @usableFromInline var length: Int = 0

    @inlinable
    public init(seed: UInt32 = 0) { h = seed }

    @inlinable @inline(__always)
    mutating func absorbBlock(_ block: UInt32) {
      h ^= Murmur3.mixBlock(block)
      h = Murmur3.rotateLeft(h, 13)
      h = h &* 5 &+ 0xe654_6b64
    }

    /// Feeds one byte.
    @inlinable @inline(__always)
    public mutating func combine(byte: UInt8) {
      pending |= UInt32(byte) << (8 * UInt32(pendingCount))
      pendingCount += 1
      length += 1
      if pendingCount == 4 {
        absorbBlock(pending)
        pending = 0
        pendingCount = 0
      }
    }

    /// Feeds `bytes`.
    ///
    /// - Complexity: O(n). Whole 4-byte words are read straight from memory even when an earlier call
    ///   left a block open: the open bytes are shifted in front of each word.
    @inlinable @inline(__always)
    public mutating func combine(_ bytes: UnsafeRawBufferPointer) {
      let count = bytes.count
      guard count > 0 else { return }
      var index = 0
      length += count
      if pendingCount == 0 {
        while count - index >= 4 {
          absorbBlock(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: index, as: UInt32.self)))
          index += 4
        }
      } else {
        let shift = UInt32(8 * pendingCount)
        while count - index >= 4 {
          let word = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: index, as: UInt32.self))
          absorbBlock(pending | word << shift)
          pending = word >> (32 - shift)
          index += 4
        }
      }
      // Fewer than four bytes left: add them to the open block.
      while index < count {
        pending |= UInt32(bytes[index]) << (8 * UInt32(pendingCount))
        pendingCount += 1
        if pendingCount == 4 {
          absorbBlock(pending)
          pending = 0
          pendingCount = 0
        }
        index += 1
      }
    }

    /// Feeds the UTF-8 bytes of `string`.
    @inlinable
    public mutating func combine(_ string: String) {
      var string = string
      string.withUTF8 { combine(UnsafeRawBufferPointer($0)) }
    }

    /// Feeds the decimal digits of `value` (what Rust's `to_string` writes for an unsigned integer).
    @inlinable
    public mutating func combine(decimal value: Int) {
      precondition(value >= 0)
      var divisor = 1
      while divisor <= value / 10 { divisor *= 10 }
      var rest = value
      while divisor > 0 {
        combine(byte: UInt8(truncatingIfNeeded: 48 + rest / divisor))
        rest %= divisor
        divisor /= 10
      }
    }

    /// The hash of everything fed so far followed by `bytes`. Does not change the state. When no block
    /// is open (a prefix of whole blocks, such as `"groupId:"` of a length divisible by four, or none),
    /// this is the one-pass loop of `Murmur3.hash`: the hot path of rollout buckets and variants.
    @inlinable @inline(__always)
    public func finalize(appending bytes: UnsafeRawBufferPointer) -> UInt32 {
      if pendingCount == 0 { return Murmur3.hash(bytes, from: h, lengthBefore: length) }
      var hasher = self
      hasher.combine(bytes)
      return hasher.finalize()
    }

    /// The hash of everything fed so far. Does not change the state.
    @inlinable
    public func finalize() -> UInt32 {
      var h = self.h
      if pendingCount > 0 { h ^= Murmur3.mixBlock(pending) }
      return Murmur3.finalize(h, length: length)
    }
  }
}

/// LLVM's `fshl.i32`: the high word of `(a:b) << count`, a rotation when `a == b`.
@usableFromInline @_silgen_name("llvm.fshl.i32")
func funnelShiftLeft(_ a: UInt32, _ b: UInt32, _ count: UInt32) -> UInt32
