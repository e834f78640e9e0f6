/// An IPv4 or IPv6 address, parsed as Rust's `std::net::IpAddr` does: dotted quads without leading
/// zeros, IPv6 with `::` compression and an optional trailing dotted quad, no zone, no brackets.
public enum IPAddress: Sendable, Hashable {
  case v4(UInt32)
  case v6(UInt128)

  public init?(_ text: String) {
    guard let address = withUTF8Bytes(text, { IPAddress.parse($0[...]) }) else { return nil }
    self = address
  }

  
  static func parse(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> IPAddress? {
    if bytes.contains(UInt8(ascii: ":")) {
      return parseV6(bytes).map(IPAddress.v6)
    }
    return parseV4(bytes).map(IPAddress.v4)
  }

  
  static func parseV4(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> UInt32? {
    var value: UInt32 = 0
    var octets = 0
    var index = bytes.startIndex
    while true {
      let start = index
      var octet = 0
      while index < bytes.endIndex, bytes[index].isASCIIDigit, index - start < 3 {
        octet = octet * 10 + Int(bytes[index] &- 48)
        index += 1
      }
      let length = index - start
      guard length > 0, octet <= 255, !(length > 1 && bytes[start] == UInt8(ascii: "0")) else { return nil }
      value = value << 8 | UInt32(octet)
      octets += 1
      if octets == 4 { return index == bytes.endIndex ? value : nil }
      guard index < bytes.endIndex, bytes[index] == UInt8(ascii: ".") else { return nil }
      index += 1
    }
  }

  
  static func parseV6(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> UInt128? {
    // Groups before `::` go to `head`, after it to `tail`; no allocation.
    var head: UInt128 = 0
    var headCount = 0
    var tail: UInt128 = 0
    var tailCount = 0
    var compressed = false
    var index = bytes.startIndex
    let end = bytes.endIndex
    func add(_ group: UInt16) {
      if compressed {
        tail = tail << 16 | UInt128(group)
        tailCount += 1
      } else {
        head = head << 16 | UInt128(group)
        headCount += 1
      }
    }
    if end - index >= 2 && bytes[index] == UInt8(ascii: ":") && bytes[index + 1] == UInt8(ascii: ":") {
      compressed = true
      index += 2
      if index == end { return 0 }
    } else if index < end && bytes[index] == UInt8(ascii: ":") {
      return nil
    }
    while index < end {
      // A trailing dotted quad counts for two groups.
      var probe = index
      while probe < end && bytes[probe] != UInt8(ascii: ":") && bytes[probe] != UInt8(ascii: ".") { probe += 1 }
      if probe < end && bytes[probe] == UInt8(ascii: ".") {
        guard headCount + tailCount <= 6, let v4 = parseV4(bytes[index..<end]) else { return nil }
        add(UInt16(v4 >> 16))
        add(UInt16(truncatingIfNeeded: v4))
        break
      }
      var group: UInt16 = 0
      let start = index
      while index < end, index - start < 4, let nibble = hexValue(bytes[index]) {
        group = group << 4 | UInt16(nibble)
        index += 1
      }
      guard index > start, headCount + tailCount < 8 else { return nil }
      add(group)
      if index == end { break }
      guard bytes[index] == UInt8(ascii: ":") else { return nil }
      index += 1
      if index < end && bytes[index] == UInt8(ascii: ":") {
        guard !compressed else { return nil }
        compressed = true
        index += 1
        if index == end { break }
      } else if index == end {
        return nil  // a single trailing colon
      }
    }
    let total = headCount + tailCount
    guard compressed ? total <= 7 : total == 8 else { return nil }
    let headShift = UInt128(16 * (8 - headCount))
    return (headCount == 0 ? 0 : head << headShift) | tail
  }

  
  static func hexValue(_ byte: UInt8) -> UInt8? {
    if byte.isASCIIDigit { return byte &- 48 }
    let lower = byte | 0x20
    if lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "f") { return lower &- 87 }
    return nil
  }
}

/// An address range in CIDR notation (`10.0.0.0/8`, `2001:db8::/32`) or a single address, read as the
/// `ipnetwork` crate reads it (host bits may be set; `/08` is a prefix of 8). IPv4 networks match only
/// IPv4 addresses and IPv6 networks only IPv6 ones.
public struct IPNetwork: Sendable, Hashable {
  public let address: IPAddress
  public let prefixLength: Int

  public init?(_ text: String) {
    let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
    guard let address = IPAddress(String(parts[0])) else { return nil }
    let maximum: Int
    switch address {
    case .v4: maximum = 32
    case .v6: maximum = 128
    }
    var prefix = maximum
    if parts.count == 2 {
      let digits = parts[1]
      guard !digits.isEmpty, digits.count <= 3, digits.utf8.allSatisfy(\.isASCIIDigit),
        let value = Int(digits), value <= maximum
      else { return nil }
      prefix = value
    }
    self.address = address
    self.prefixLength = prefix
  }

  /// Whether `candidate` lies in this network.
  
  public func contains(_ candidate: IPAddress) -> Bool {
    switch (address, candidate) {
    case (.v4(let network), .v4(let value)):
      if prefixLength == 0 { return true }
      let mask = UInt32.max << UInt32(32 - prefixLength)
      return network & mask == value & mask
    case (.v6(let network), .v6(let value)):
      if prefixLength == 0 { return true }
      let mask = UInt128.max << UInt128(128 - prefixLength)
      return network & mask == value & mask
    default:
      return false
    }
  }
}
