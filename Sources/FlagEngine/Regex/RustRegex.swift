import Foundation

// TEMPORARY stand-in until the Rust-compatible engine lands: ICU via NSRegularExpression, refusing
// look-around and backreferences. Same API as the real one.
public struct RustRegex: @unchecked Sendable {
  let regex: NSRegularExpression

  public init(_ pattern: String, caseInsensitive: Bool = false) throws(RustRegexError) {
    if pattern.contains("(?=") || pattern.contains("(?!") || pattern.contains("(?<=") || pattern.contains("(?<!") {
      throw RustRegexError(offset: 0, message: "look-around is not supported")
    }
    if pattern.range(of: #"\\[1-9]"#, options: .regularExpression) != nil {
      throw RustRegexError(offset: 0, message: "backreferences are not supported")
    }
    do {
      regex = try NSRegularExpression(pattern: pattern, options: caseInsensitive ? [.caseInsensitive] : [])
    } catch {
      throw RustRegexError(offset: 0, message: "invalid pattern")
    }
  }

  public func isMatch(_ text: String) -> Bool {
    regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
  }
}

public struct RustRegexError: Error, Sendable, CustomStringConvertible {
  public let offset: Int
  public let message: String
  public var description: String { "\(message) (at \(offset))" }
}
