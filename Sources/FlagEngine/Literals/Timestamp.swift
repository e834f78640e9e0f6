import Foundation

/// An instant, as the date operators compare it: seconds since the Unix epoch and nanoseconds.
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
  public var seconds: Int64
  public var nanoseconds: Int32

  public init(seconds: Int64, nanoseconds: Int32 = 0) {
    self.seconds = seconds
    self.nanoseconds = nanoseconds
  }

  public static func < (a: Timestamp, b: Timestamp) -> Bool {
    a.seconds != b.seconds ? a.seconds < b.seconds : a.nanoseconds < b.nanoseconds
  }

  public var description: String { "\(seconds).\(nanoseconds)s" }

  /// Reads a context's date the way Rust's chrono reads `DateTime<Utc>` from a string (what Unleash's
  /// reference engine does): RFC 3339 with some slack: `T`, `t` or a space between date and time, one- or
  /// two-digit fields, any number of fraction digits, `Z`, `UTC` or an offset `±hh:mm` / `±hhmm`, and
  /// white space around the parts. Allocates nothing.
  
  public static func parseRelaxed(_ bytes: UnsafeBufferPointer<UInt8>) -> Timestamp? {
    var reader = ByteReader(bytes: bytes)
    reader.skipSpaces()
    var year: Int
    if reader.peek == UInt8(ascii: "+") {
      reader.index += 1
      guard let value = reader.digits(min: 4, max: 9) else { return nil }
      year = value
    } else {
      guard let value = reader.digits(min: 1, max: 4) else { return nil }
      year = value
    }
    guard reader.literal(UInt8(ascii: "-")), let month = reader.field(max: 2),
      reader.literal(UInt8(ascii: "-")), let day = reader.field(max: 2)
    else { return nil }
    guard let separator = reader.peek,
      separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t") || separator == UInt8(ascii: " ")
    else { return nil }
    reader.index += 1
    guard let hour = reader.field(max: 2), reader.literal(UInt8(ascii: ":")), let minute = reader.field(max: 2),
      reader.literal(UInt8(ascii: ":")), let second = reader.field(max: 2)
    else { return nil }
    var nanoseconds = 0
    if reader.peek == UInt8(ascii: ".") {
      reader.index += 1
      var scale = 100_000_000
      var count = 0
      while let byte = reader.peek, byte.isASCIIDigit {
        nanoseconds += Int(byte &- 48) * scale
        scale /= 10
        count += 1
        reader.index += 1
      }
      guard count > 0 else { return nil }
    }
    reader.skipSpaces()
    var offsetSeconds = 0
    guard let marker = reader.peek else { return nil }
    if marker == UInt8(ascii: "Z") || marker == UInt8(ascii: "z") {
      reader.index += 1
    } else if reader.matchesCaseInsensitive("utc") {
      reader.index += 3
    } else if marker == UInt8(ascii: "+") || marker == UInt8(ascii: "-") {
      reader.index += 1
      guard let hours = reader.digits(min: 2, max: 2) else { return nil }
      if reader.peek == UInt8(ascii: ":") || reader.peek == UInt8(ascii: " ") { reader.index += 1 }
      guard let minutes = reader.digits(min: 2, max: 2), hours < 24, minutes < 60 else { return nil }
      offsetSeconds = (hours * 3600 + minutes * 60) * (marker == UInt8(ascii: "-") ? -1 : 1)
    } else {
      return nil
    }
    reader.skipSpaces()
    guard reader.atEnd else { return nil }
    return make(
      year: year, month: month, day: day, hour: hour, minute: minute, second: second,
      nanoseconds: nanoseconds, offsetSeconds: offsetSeconds)
  }

  /// Reads a date as Unleash's rule grammar accepts it in a constraint's `value`: exactly
  /// `YYYY-MM-DDTHH:MM:SS[.mmm](Z|±hh:mm)`, surrounded by optional spaces or tabs.
  static func parseConstraintLiteral(_ text: String) -> Timestamp? {
    let bytes = Array(text.trimmingSpacesAndTabs().utf8)
    // Shape check first: digits where digits belong, the separators where they belong.
    var shape = "dddd-dd-ddTdd:dd:dd"
    var index = 19
    if bytes.count > 19 && bytes[19] == UInt8(ascii: ".") {
      shape += ".ddd"
      index = 23
    }
    if bytes.count == index + 1 {
      shape += "Z"
    } else {
      shape += "sdd:dd"
    }
    guard bytes.count == shape.utf8.count else { return nil }
    for (byte, expected) in zip(bytes, shape.utf8) {
      switch expected {
      case UInt8(ascii: "d"): if !byte.isASCIIDigit { return nil }
      case UInt8(ascii: "s"): if byte != UInt8(ascii: "+") && byte != UInt8(ascii: "-") { return nil }
      default: if byte != expected { return nil }
      }
    }
    return bytes.withUnsafeBufferPointer { parseRelaxed($0) }
  }

  /// Converts a civil date and time with an offset to an instant; `nil` for an impossible date.
  
  static func make(
    year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, nanoseconds: Int, offsetSeconds: Int
  ) -> Timestamp? {
    guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
      hour < 24, minute < 60, second <= 60
    else { return nil }
    // Days since 1970-01-01, by Howard Hinnant's days_from_civil.
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    let days = era * 146_097 + dayOfEra - 719_468
    // A leap second (:60) counts as the last second plus one, as chrono keeps it.
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
    return Timestamp(seconds: Int64(seconds), nanoseconds: Int32(nanoseconds))
  }

  
  static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }
}

/// A cursor over bytes for the small hand-written parsers of this module.

struct ByteReader {
  let bytes: UnsafeBufferPointer<UInt8>
  var index = 0

  init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

  var atEnd: Bool { index >= bytes.count }
  var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

  mutating func skipSpaces() {
    while let byte = peek, byte == 0x20 || (byte >= 0x09 && byte <= 0x0d) { index += 1 }
  }

  mutating func digits(min: Int, max: Int) -> Int? {
    var value = 0
    var count = 0
    while count < max, let byte = peek, byte.isASCIIDigit {
      value = value * 10 + Int(byte &- 48)
      count += 1
      index += 1
    }
    return count >= min ? value : nil
  }

  /// A one- or two-digit field, after optional white space.
  mutating func field(max: Int) -> Int? {
    skipSpaces()
    return digits(min: 1, max: max)
  }

  /// `byte`, after optional white space.
  mutating func literal(_ byte: UInt8) -> Bool {
    skipSpaces()
    guard peek == byte else { return false }
    index += 1
    return true
  }

  func matchesCaseInsensitive(_ word: StaticString) -> Bool {
    guard bytes.count - index >= word.utf8CodeUnitCount else { return false }
    for offset in 0..<word.utf8CodeUnitCount where bytes[index + offset].asciiLowercased != word.utf8Start[offset] {
      return false
    }
    return true
  }
}

extension Timestamp {
  /// The wall clock, for constraints on `currentTime` when a context does not give one (Unleash's rule).
  public static func now() -> Timestamp {
    let interval = Date().timeIntervalSince1970
    let seconds = interval.rounded(.down)
    return Timestamp(seconds: Int64(seconds), nanoseconds: Int32((interval - seconds) * 1e9))
  }

  /// `YYYY-MM-DDTHH:MM:SSZ`, the form Unleash's reference engine gives a missing `currentTime`.
  public var iso8601: String {
    let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
    let secondOfDay = Int(seconds - days * 86_400)
    // Howard Hinnant's civil_from_days.
    let z = Int(days) + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let mp = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
    let yearText = String(repeating: "0", count: max(0, 4 - String(year).count)) + String(year)
    return "\(yearText)-\(two(month))-\(two(day))T\(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60))Z"
  }
}
