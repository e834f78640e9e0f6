/// Number parsing with the grammar of Rust's `f64::from_str`, which Unleash's reference engine applies to
/// context values of numeric constraints: an optional sign, digits with an optional fraction and
/// exponent, or `inf`, `infinity`, `nan` in any case. No white space, no hex, no underscores.
enum RustFloat {
  /// Parses `bytes`, or returns `nil` when Rust would refuse them.
  
  static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
    // The common case first: a short run of ASCII digits (hardware generations, counts, ages).
    if bytes.count > 0 && bytes.count <= 15 {
      var value: UInt64 = 0
      var allDigits = true
      for byte in bytes {
        let digit = byte &- 48
        if digit >= 10 {
          allDigits = false
          break
        }
        value = value &* 10 &+ UInt64(digit)
      }
      if allDigits { return Double(value) }
    }
    var index = 0
    let count = bytes.count
    var negative = false
    if index < count && (bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")) {
      negative = bytes[index] == UInt8(ascii: "-")
      index += 1
    }
    guard index < count else { return nil }
    if !bytes[index].isASCIIDigit && bytes[index] != UInt8(ascii: ".") {
      return special(bytes, from: index).map { negative ? -$0 : $0 }
    }
    var mantissa: UInt64 = 0
    var significantDigits = 0
    var exponent = 0
    var sawDigit = false
    while index < count && bytes[index].isASCIIDigit {
      sawDigit = true
      accumulate(bytes[index], into: &mantissa, significant: &significantDigits, exponent: &exponent, fraction: false)
      index += 1
    }
    if index < count && bytes[index] == UInt8(ascii: ".") {
      index += 1
      while index < count && bytes[index].isASCIIDigit {
        sawDigit = true
        accumulate(bytes[index], into: &mantissa, significant: &significantDigits, exponent: &exponent, fraction: true)
        index += 1
      }
    }
    guard sawDigit else { return nil }
    if index < count && (bytes[index] | 0x20) == UInt8(ascii: "e") {
      index += 1
      var exponentNegative = false
      if index < count && (bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")) {
        exponentNegative = bytes[index] == UInt8(ascii: "-")
        index += 1
      }
      guard index < count, bytes[index].isASCIIDigit else { return nil }
      var written = 0
      while index < count && bytes[index].isASCIIDigit {
        if written < 100_000 { written = written * 10 + Int(bytes[index] &- 48) }
        index += 1
      }
      exponent += exponentNegative ? -written : written
    }
    guard index == count else { return nil }
    // Clinger's fast path: exact when the mantissa and the power of ten are both exact doubles.
    if significantDigits <= 15 && exponent >= -22 && exponent <= 22 {
      var value = Double(mantissa)
      if exponent < 0 { value /= powersOfTen[-exponent] } else { value *= powersOfTen[exponent] }
      return negative ? -value : value
    }
    if mantissa == 0 { return negative ? -0.0 : 0.0 }
    // Rare: long mantissas or large exponents. The grammar is checked, so Swift's parser agrees with Rust's.
    return Double(String(decoding: bytes, as: UTF8.self))
  }

  @inline(__always)
  static func accumulate(
    _ digit: UInt8, into mantissa: inout UInt64, significant: inout Int, exponent: inout Int, fraction: Bool
  ) {
    if mantissa == 0 && digit == UInt8(ascii: "0") {
      if fraction { exponent -= 1 }
      return
    }
    if significant < 19 {
      mantissa = mantissa * 10 + UInt64(digit &- 48)
      significant += 1
      if fraction { exponent -= 1 }
    } else {
      // Digits beyond 19 only matter to the slow path, which re-reads the text.
      significant += 1
      if !fraction { exponent += 1 }
    }
  }

  static let powersOfTen: [Double] = (0...22).map { exponent in
    var value = 1.0
    for _ in 0..<exponent { value *= 10 }
    return value
  }

  
  static func special(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Double? {
    func matches(_ word: StaticString) -> Bool {
      guard bytes.count - start == word.utf8CodeUnitCount else { return false }
      for offset in 0..<word.utf8CodeUnitCount where bytes[start + offset].asciiLowercased != word.utf8Start[offset] {
        return false
      }
      return true
    }
    if matches("inf") || matches("infinity") { return .infinity }
    if matches("nan") { return .nan }
    return nil
  }

  /// Parses a context value.
  
  static func parse(_ string: String) -> Double? {
    withUTF8Bytes(string) { parse($0) }
  }

  /// Whether `text` is a number as Unleash's reference engine accepts it in a constraint's `value`:
  /// `[+-]?digits(.digits*)?([eE][+-]?digits)?`, surrounded by optional spaces or tabs.
  static func constraintLiteral(_ text: String) -> Double? {
    let trimmed = text.trimmingSpacesAndTabs()
    let bytes = Array(trimmed.utf8)
    var index = 0
    func digits() -> Int {
      let start = index
      while index < bytes.count && bytes[index].isASCIIDigit { index += 1 }
      return index - start
    }
    if index < bytes.count && (bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")) { index += 1 }
    guard digits() > 0 else { return nil }
    if index < bytes.count && bytes[index] == UInt8(ascii: ".") {
      index += 1
      _ = digits()
    }
    if index < bytes.count && (bytes[index] | 0x20) == UInt8(ascii: "e") {
      index += 1
      if index < bytes.count && (bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")) { index += 1 }
      guard digits() > 0 else { return nil }
    }
    guard index == bytes.count else { return nil }
    return bytes.withUnsafeBufferPointer { parse($0) }
  }
}

extension String {
  /// Drops leading and trailing spaces and tabs (the white space of Unleash's rule grammar).
  func trimmingSpacesAndTabs() -> String {
    let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
    guard let first = firstIndex(where: { !isBlank($0) }) else { return "" }
    let last = lastIndex(where: { !isBlank($0) })!
    return String(self[first...last])
  }
}
