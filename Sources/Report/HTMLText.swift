import Scenario
/// Text made safe for an HTML page and the SVG inside it.
enum HTMLText {
  /// Escapes `text` for element content and for double- or single-quoted attribute values: `&`, `<`, `>`,
  /// `"` and `'` become character references, and control characters that HTML forbids are dropped.
  static func escape(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      case "\t", "\n": out.unicodeScalars.append(scalar)
      case "\r": out += "\n"
      default:
        // C0 and C1 controls, and noncharacters, are parse errors in HTML.
        let value = scalar.value
        if value < 0x20 || (0x7F...0x9F).contains(value) || (0xFDD0...0xFDEF).contains(value)
          || value & 0xFFFE == 0xFFFE
        {
          continue
        }
        out.unicodeScalars.append(scalar)
      }
    }
    return out
  }

  /// Text that may contain a web address: the address becomes a link (only `http` and `https`, so a
  /// `javascript:` source cannot run), the rest is escaped text.
  static func linkified(_ text: String) -> String {
    guard let range = firstWebAddress(in: text) else { return escape(text) }
    let address = String(text[range])
    let before = String(text[..<range.lowerBound])
    let after = String(text[range.upperBound...])
    return escape(before) + "<a href=\"\(escape(address))\" rel=\"noreferrer noopener\">\(escape(address))</a>"
      + linkified(after)
  }

  /// The first `http://` or `https://` address in `text`: up to whitespace, a quote or an angle bracket,
  /// without trailing punctuation.
  static func firstWebAddress(in text: String) -> Range<String.Index>? {
    let characters = Array(text)
    func matches(_ word: String, at offset: Int) -> Bool {
      var i = offset
      for expected in word {
        guard i < characters.count, characters[i].lowercased() == String(expected) else { return false }
        i += 1
      }
      return true
    }
    var offset = 0
    while offset < characters.count {
      let startsWord = offset == 0 || !characters[offset - 1].isLetter
      let schemeLength = matches("https://", at: offset) ? 8 : matches("http://", at: offset) ? 7 : 0
      if startsWord && schemeLength > 0 {
        let schemeEnd = offset + schemeLength
        var end = schemeEnd
        while end < characters.count, !characters[end].isWhitespace, !"<>\"'`".contains(characters[end]) {
          end += 1
        }
        while end > schemeEnd, ".,;:!?)]}".contains(characters[end - 1]) {
          // Keep a closing bracket that closes one opened inside the address.
          if characters[end - 1] == ")" && characters[schemeEnd..<(end - 1)].contains("(") { break }
          end -= 1
        }
        if end > schemeEnd {
          let start = text.index(text.startIndex, offsetBy: offset)
          return start..<text.index(start, offsetBy: end - offset)
        }
      }
      offset += 1
    }
    return nil
  }
}
