/// A regular expression with the syntax and matching semantics of Rust's `regex` crate
/// (regex 1.13, regex-syntax 0.8, Unicode 16.0), which is what Unleash's reference
/// engine, yggdrasil, uses for the `REGEX` constraint operator.
///
/// Only "does it match anywhere" is answered; there are no captures. Matching simulates
/// a Thompson NFA over Unicode scalars (no backtracking), so it is linear in the text.
///
/// ```swift
/// let regex = try RustRegex(#"^[\w.+-]+@example\.com$"#, caseInsensitive: true)
/// regex.isMatch("Jane.Doe@EXAMPLE.com")  // true
/// ```
public struct RustRegex: Sendable {
  let program: Program

  /// Compiles `pattern` with Rust `regex` syntax.
  ///
  /// Patterns that Rust's `Regex::new` refuses are refused here too: look-around,
  /// backreferences, unknown escapes or classes, unbalanced groups, invalid ranges or
  /// repetitions, nesting deeper than 250, and patterns whose compiled automaton would
  /// exceed Rust's default size limit (10 MiB).
  ///
  /// - Parameters:
  ///   - pattern: The pattern, in Rust `regex` syntax.
  ///   - caseInsensitive: What `(?i)` at the start of `pattern` would do.
  /// - Complexity: O(*p*) in the pattern's length for most patterns; counted
  ///   repetitions multiply the compiled size by their bound, and large Unicode classes
  ///   (`\w`, `\pL`) cost a fraction of a millisecond to size. The first pattern that
  ///   uses a general category or `Age`, and the first case-insensitive one, pay a
  ///   one-time scan of Swift's Unicode data (about 80 ms and 20 ms).
  public init(_ pattern: String, caseInsensitive: Bool = false) throws(RustRegexError) {
    var parser = Parser(pattern)
    let syntax = try parser.parse()
    var translator = Translator(caseInsensitive: caseInsensitive)
    let hir = try translator.translate(syntax)
    try SizeLimit.check(hir)
    program = try Program(hir)
  }

  /// True if the pattern matches anywhere in `text` (Rust's `Regex::is_match`).
  ///
  /// - Complexity: O(*n* × *m*) for a text of *n* scalars and a program of *m*
  ///   instructions, with no allocation for small programs. Pure literals use a byte
  ///   search instead.
  public func isMatch(_ text: String) -> Bool {
    program.isMatch(text)
  }
}

/// Why a pattern was refused, and where.
public struct RustRegexError: Error, Sendable, CustomStringConvertible {
  /// Where the problem starts, in Unicode scalars from the start of the pattern.
  public let offset: Int
  /// What the problem is, in the words Rust's `regex` crate uses.
  public let message: String

  init(_ message: String, at offset: Int) {
    self.offset = offset
    self.message = message
  }

  /// The message followed by the offset, e.g. `look-around is not supported (at 1)`.
  public var description: String { "\(message) (at \(offset))" }
}
