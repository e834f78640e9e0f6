extension RustRegex {
  /// Parses a pattern into `SyntaxNode`s following regex-syntax 0.8's `ast::parse`: the
  /// same grammar, the same leniencies (`a**`, `{ 2 }`, `\<`, `[]a]`, ...) and the same
  /// refusals. Iterative, so deep nesting cannot overflow the stack; nodes deeper than
  /// Rust's nesting limit are refused as soon as they are built.
  struct Parser {
    static let nestLimit = 250

    private let scalars: [Unicode.Scalar]
    private var pos = 0
    private var ignoreWhitespace = false
    private var groupStack: [GroupFrame] = []
    private var classStack: [ClassFrame] = []
    private var captureNames: Set<String> = []

    private enum GroupFrame {
      case group(concat: [SyntaxNode], kind: GroupKind, offset: Int, outerIgnoreWhitespace: Bool)
      case alternation([SyntaxNode])
    }

    private enum ClassFrame {
      case open(parent: [ClassSetNode], negated: Bool, offset: Int)
      case op(ClassSetOperator, lhs: ClassSetNode)
    }

    init(_ pattern: String) {
      scalars = Array(pattern.unicodeScalars)
    }

    // MARK: Cursor

    private var isEOF: Bool { pos >= scalars.count }
    private var char: Unicode.Scalar { scalars[pos] }

    /// Advances one scalar; false if now at the end.
    @discardableResult
    private mutating func bump() -> Bool {
      guard !isEOF else { return false }
      pos += 1
      return !isEOF
    }

    private mutating func bumpIf(_ prefix: String) -> Bool {
      let wanted = Array(prefix.unicodeScalars)
      guard pos + wanted.count <= scalars.count else { return false }
      for (index, scalar) in wanted.enumerated() where scalars[pos + index] != scalar { return false }
      pos += wanted.count
      return true
    }

    /// In verbose mode, skips whitespace and `#` comments.
    private mutating func bumpSpace() {
      guard ignoreWhitespace else { return }
      while !isEOF {
        if char.properties.isWhitespace {
          pos += 1
        } else if char == "#" {
          pos += 1
          while !isEOF {
            let c = char
            pos += 1
            if c == "\n" { break }
          }
        } else {
          break
        }
      }
    }

    @discardableResult
    private mutating func bumpAndBumpSpace() -> Bool {
      guard bump() else { return false }
      bumpSpace()
      return !isEOF
    }

    private func peek() -> Unicode.Scalar? {
      pos + 1 < scalars.count ? scalars[pos + 1] : nil
    }

    /// Like `peek`, but skips whitespace in verbose mode. Mirrors regex-syntax exactly,
    /// including that a comment ends at its first non-space character here.
    private func peekSpace() -> Unicode.Scalar? {
      guard ignoreWhitespace else { return peek() }
      guard !isEOF else { return nil }
      var index = pos + 1
      var inComment = false
      while index < scalars.count {
        let c = scalars[index]
        if c.properties.isWhitespace {
          index += 1
        } else if !inComment && c == "#" {
          inComment = true
          index += 1
        } else if inComment && c == "\n" {
          inComment = false
          index += 1
        } else {
          return c
        }
      }
      return peek()
    }

    private func error(_ message: String, at offset: Int? = nil) -> RustRegexError {
      RustRegexError(message, at: offset ?? pos)
    }

    private func node(_ kind: SyntaxNode.Kind, at offset: Int) throws(RustRegexError) -> SyntaxNode {
      let built = SyntaxNode(kind)
      guard built.depth <= Self.nestLimit else {
        throw error("exceed the maximum nest limit of \(Self.nestLimit)", at: offset)
      }
      return built
    }

    private func classNode(_ kind: ClassSetNode.Kind, at offset: Int) throws(RustRegexError) -> ClassSetNode {
      let built = ClassSetNode(kind)
      // A bracketed class adds one more level when it becomes a syntax node.
      guard built.depth < Self.nestLimit else {
        throw error("exceed the maximum nest limit of \(Self.nestLimit)", at: offset)
      }
      return built
    }

    private func concatNode(_ items: [SyntaxNode], at offset: Int) throws(RustRegexError) -> SyntaxNode {
      switch items.count {
      case 0: return SyntaxNode(.empty)
      case 1: return items[0]
      default: return try node(.concat(items), at: offset)
      }
    }

    // MARK: Top level

    mutating func parse() throws(RustRegexError) -> SyntaxNode {
      var concat: [SyntaxNode] = []
      while true {
        bumpSpace()
        if isEOF { break }
        switch char {
        case "(": concat = try pushGroup(concat)
        case ")": concat = try popGroup(concat)
        case "|": concat = try pushAlternate(concat)
        case "[":
          concat.append(try parseSetClass())
        case "?": concat = try parseUncountedRepetition(concat, min: 0, max: 1)
        case "*": concat = try parseUncountedRepetition(concat, min: 0, max: nil)
        case "+": concat = try parseUncountedRepetition(concat, min: 1, max: nil)
        case "{": concat = try parseCountedRepetition(concat)
        default: concat.append(try parsePrimitive().syntax())
        }
      }
      return try popGroupEnd(concat)
    }

    private mutating func pushAlternate(_ concat: [SyntaxNode]) throws(RustRegexError) -> [SyntaxNode] {
      let branch = try concatNode(concat, at: pos)
      if case .alternation(var branches)? = groupStack.last {
        branches.append(branch)
        groupStack[groupStack.count - 1] = .alternation(branches)
      } else {
        groupStack.append(.alternation([branch]))
      }
      bump()
      return []
    }

    private mutating func pushGroup(_ concat: [SyntaxNode]) throws(RustRegexError) -> [SyntaxNode] {
      let open = pos
      bump()
      bumpSpace()
      if bumpIf("?=") || bumpIf("?!") || bumpIf("?<=") || bumpIf("?<!") {
        throw error("look-around, including look-ahead and look-behind, is not supported", at: open)
      }
      var concat = concat
      if bumpIf("?P<") || bumpIf("?<") {
        try parseCaptureName()
        beginGroup(concat, .capture, open, ignore: ignoreWhitespace)
        return []
      }
      if bumpIf("?") {
        if isEOF { throw error("unclosed group", at: open) }
        let flags = try parseFlags()
        let end = char
        bump()
        if end == ")" {
          if flags.isEmpty {
            // `(?)` reads as a repetition operator with nothing to repeat.
            throw error("repetition operator missing expression", at: open + 1)
          }
          if let ignore = flags.items.ignoreWhitespace { ignoreWhitespace = ignore }
          concat.append(SyntaxNode(.flags(flags.items)))
          return concat
        }
        let ignore = flags.items.ignoreWhitespace ?? ignoreWhitespace
        beginGroup(concat, .nonCapture(flags.isEmpty ? nil : flags.items), open, ignore: ignore)
        return []
      }
      beginGroup(concat, .capture, open, ignore: ignoreWhitespace)
      return []
    }

    private mutating func beginGroup(_ concat: [SyntaxNode], _ kind: GroupKind, _ offset: Int, ignore: Bool) {
      groupStack.append(.group(concat: concat, kind: kind, offset: offset, outerIgnoreWhitespace: ignoreWhitespace))
      ignoreWhitespace = ignore
    }

    private mutating func popGroup(_ concat: [SyntaxNode]) throws(RustRegexError) -> [SyntaxNode] {
      var alternation: [SyntaxNode]?
      var frame = groupStack.popLast()
      if case .alternation(let branches)? = frame {
        alternation = branches
        frame = groupStack.popLast()
      }
      guard case .group(var prior, let kind, let offset, let outer)? = frame else {
        throw error("unopened group")
      }
      ignoreWhitespace = outer
      bump()
      var sub = try concatNode(concat, at: offset)
      if var branches = alternation {
        branches.append(sub)
        sub = try node(.alternation(branches), at: offset)
      }
      prior.append(try node(.group(sub, kind), at: offset))
      return prior
    }

    private mutating func popGroupEnd(_ concat: [SyntaxNode]) throws(RustRegexError) -> SyntaxNode {
      var result = try concatNode(concat, at: 0)
      switch groupStack.popLast() {
      case nil:
        return result
      case .alternation(var branches)?:
        branches.append(result)
        result = try node(.alternation(branches), at: 0)
      case .group(_, _, let offset, _)?:
        throw error("unclosed group", at: offset)
      }
      if case .group(_, _, let offset, _)? = groupStack.popLast() {
        throw error("unclosed group", at: offset)
      }
      return result
    }

    private mutating func parseCaptureName() throws(RustRegexError) {
      if isEOF { throw error("expected capture name, but got end of pattern") }
      let start = pos
      while true {
        if char == ">" { break }
        if !Self.isCaptureScalar(char, first: pos == start) {
          throw error("invalid capture group character")
        }
        if !bump() { break }
      }
      if isEOF { throw error("expected capture name, but got end of pattern") }
      let name = String(String.UnicodeScalarView(scalars[start..<pos]))
      bump()
      if name.isEmpty { throw error("empty capture group name", at: start) }
      guard captureNames.insert(name).inserted else {
        throw error("duplicate capture group name", at: start)
      }
    }

    private static func isCaptureScalar(_ c: Unicode.Scalar, first: Bool) -> Bool {
      if c == "_" { return true }
      if first { return c.properties.isAlphabetic }
      if c == "." || c == "[" || c == "]" || c.properties.isAlphabetic { return true }
      switch c.properties.generalCategory {
      case .decimalNumber, .letterNumber, .otherNumber: return true
      default: return false
      }
    }

    private mutating func parseFlags() throws(RustRegexError) -> (items: FlagItems, isEmpty: Bool) {
      var items = FlagItems()
      var seen: Set<Unicode.Scalar> = []
      var negated = false
      var sawNegation = false
      var lastWasNegation = false
      var isEmpty = true
      while char != ":" && char != ")" {
        isEmpty = false
        if char == "-" {
          if sawNegation { throw error("flag negation operator repeated") }
          sawNegation = true
          negated = true
          lastWasNegation = true
        } else {
          lastWasNegation = false
          let flag = char
          guard seen.insert(flag).inserted else { throw error("duplicate flag") }
          let value = !negated
          switch flag {
          case "i": items.caseInsensitive = value
          case "m": items.multiLine = value
          case "s": items.dotMatchesNewLine = value
          case "U": items.swapGreed = value
          case "u": items.unicode = value
          case "R": items.crlf = value
          case "x": items.ignoreWhitespace = value
          default: throw error("unrecognized flag")
          }
        }
        if !bump() { throw error("expected flag but got end of regex") }
      }
      if lastWasNegation { throw error("flag negation operator not followed by any flag", at: pos - 1) }
      return (items, isEmpty)
    }

    // MARK: Repetition

    private mutating func repeatedNode(_ concat: inout [SyntaxNode]) throws(RustRegexError) -> SyntaxNode {
      guard let last = concat.popLast(), !last.isEmptyOrFlags else {
        throw error("repetition operator missing expression")
      }
      return last
    }

    private mutating func parseUncountedRepetition(
      _ concat: [SyntaxNode], min: UInt32, max: UInt32?
    ) throws(RustRegexError) -> [SyntaxNode] {
      var concat = concat
      let start = pos
      let sub = try repeatedNode(&concat)
      var greedy = true
      if bump() && char == "?" {
        greedy = false
        bump()
      }
      concat.append(try node(.repetition(sub, min: min, max: max, greedy: greedy), at: start))
      return concat
    }

    private mutating func parseCountedRepetition(_ concat: [SyntaxNode]) throws(RustRegexError) -> [SyntaxNode] {
      var concat = concat
      let start = pos
      let sub = try repeatedNode(&concat)
      let unclosed = "unclosed counted repetition"
      if !bumpAndBumpSpace() { throw error(unclosed, at: start) }
      let lower = try parseDecimal()
      var upper: UInt32? = lower
      if isEOF { throw error(unclosed, at: start) }
      if char == "," {
        if !bumpAndBumpSpace() { throw error(unclosed, at: start) }
        upper = char == "}" ? nil : try parseDecimal()
      }
      if isEOF || char != "}" { throw error(unclosed, at: start) }
      var greedy = true
      if bumpAndBumpSpace() && char == "?" {
        greedy = false
        bump()
      }
      if let upper, lower > upper {
        throw error("invalid repetition count range, the start must be <= the end", at: start)
      }
      concat.append(try node(.repetition(sub, min: lower, max: upper, greedy: greedy), at: start))
      return concat
    }

    /// Decimal digits, with surrounding whitespace allowed even outside verbose mode.
    private mutating func parseDecimal() throws(RustRegexError) -> UInt32 {
      while !isEOF && char.properties.isWhitespace { bump() }
      let start = pos
      var value: UInt32 = 0
      var overflow = false
      var digits = 0
      while !isEOF && ("0"..."9").contains(char) {
        digits += 1
        let (times, o1) = value.multipliedReportingOverflow(by: 10)
        let (plus, o2) = times.addingReportingOverflow(char.value - 0x30)
        overflow = overflow || o1 || o2
        value = plus
        bumpAndBumpSpace()
      }
      while !isEOF && char.properties.isWhitespace { bumpAndBumpSpace() }
      if digits == 0 { throw error("repetition quantifier expects a valid decimal", at: start) }
      if overflow { throw error("decimal literal invalid", at: start) }
      return value
    }

    // MARK: Primitives

    /// A literal, assertion or non-bracketed class.
    private enum Primitive {
      case literal(SyntaxLiteral)
      case assertion(Assertion, Int)
      case dot(Int)
      case perl(PerlClass, Bool, Int)
      case unicode(UnicodeClassName, Bool, Int)

      func syntax() -> SyntaxNode {
        switch self {
        case .literal(let literal): return SyntaxNode(.literal(literal))
        case .assertion(let kind, let offset): return SyntaxNode(.assertion(kind, offset: offset))
        case .dot(let offset): return SyntaxNode(.dot(offset: offset))
        case .perl(let kind, let negated, let offset):
          return SyntaxNode(.perlClass(kind, negated: negated, offset: offset))
        case .unicode(let name, let negated, let offset):
          return SyntaxNode(.unicodeClass(name, negated: negated, offset: offset))
        }
      }

      var offset: Int {
        switch self {
        case .literal(let literal): return literal.offset
        case .assertion(_, let offset), .dot(let offset), .perl(_, _, let offset), .unicode(_, _, let offset):
          return offset
        }
      }
    }

    private mutating func parsePrimitive() throws(RustRegexError) -> Primitive {
      let start = pos
      switch char {
      case "\\": return try parseEscape()
      case ".":
        bump()
        return .dot(start)
      case "^":
        bump()
        return .assertion(.startLine, start)
      case "$":
        bump()
        return .assertion(.endLine, start)
      default:
        let literal = SyntaxLiteral(scalar: char, isHexByte: false, offset: start)
        bump()
        return .literal(literal)
      }
    }

    static func isMetaCharacter(_ c: Unicode.Scalar) -> Bool {
      switch c {
      case "\\", ".", "+", "*", "?", "(", ")", "|", "[", "]", "{", "}", "^", "$", "#", "&", "-", "~":
        return true
      default:
        return false
      }
    }

    /// ASCII that is not a letter, digit, `<` or `>` may be escaped to stand for itself.
    static func isEscapeable(_ c: Unicode.Scalar) -> Bool {
      if isMetaCharacter(c) { return true }
      guard c.isASCII else { return false }
      switch c {
      case "0"..."9", "A"..."Z", "a"..."z", "<", ">": return false
      default: return true
      }
    }

    private mutating func parseEscape() throws(RustRegexError) -> Primitive {
      let start = pos
      if !bump() { throw error("incomplete escape sequence, reached end of pattern prematurely", at: start) }
      let c = char
      switch c {
      case "0"..."9":
        throw error("backreferences are not supported", at: start)
      case "x", "u", "U":
        return .literal(try parseHex(start))
      case "p", "P":
        let name = try parseUnicodeClassName()
        return .unicode(name, c == "P", start)
      case "d", "s", "w", "D", "S", "W":
        bump()
        let kind: PerlClass = c == "d" || c == "D" ? .digit : c == "s" || c == "S" ? .space : .word
        return .perl(kind, c == "D" || c == "S" || c == "W", start)
      default:
        break
      }
      bump()
      if Self.isEscapeable(c) {
        return .literal(SyntaxLiteral(scalar: c, isHexByte: false, offset: start))
      }
      func special(_ value: UInt32) -> Primitive {
        .literal(SyntaxLiteral(scalar: Unicode.Scalar(value)!, isHexByte: false, offset: start))
      }
      switch c {
      case "a": return special(0x07)
      case "f": return special(0x0C)
      case "t": return special(0x09)
      case "n": return special(0x0A)
      case "r": return special(0x0D)
      case "v": return special(0x0B)
      case "A": return .assertion(.startText, start)
      case "z": return .assertion(.endText, start)
      case "B": return .assertion(.notWordBoundary, start)
      case "<": return .assertion(.wordStart, start)
      case ">": return .assertion(.wordEnd, start)
      case "b":
        if !isEOF && char == "{", let kind = try parseSpecialWordBoundary(start) {
          return .assertion(kind, start)
        }
        return .assertion(.wordBoundary, start)
      default:
        throw error("unrecognized escape sequence", at: start)
      }
    }

    /// `\b{start}` and friends; nil (with the cursor back on `{`) when this is instead a
    /// counted repetition of `\b`.
    private mutating func parseSpecialWordBoundary(_ start: Int) throws(RustRegexError) -> Assertion? {
      let brace = pos
      if !bumpAndBumpSpace() {
        throw error("special word boundary assertion or counted repetition is unclosed", at: start)
      }
      func isNameScalar(_ c: Unicode.Scalar) -> Bool {
        ("A"..."Z").contains(c) || ("a"..."z").contains(c) || c == "-"
      }
      guard isNameScalar(char) else {
        pos = brace
        return nil
      }
      var name = ""
      while !isEOF && isNameScalar(char) {
        name.unicodeScalars.append(char)
        bumpAndBumpSpace()
      }
      if isEOF || char != "}" {
        throw error("special word boundary assertion is unclosed or has an invalid character", at: start)
      }
      bump()
      switch name {
      case "start": return .wordStart
      case "end": return .wordEnd
      case "start-half": return .wordStartHalf
      case "end-half": return .wordEndHalf
      default: throw error("unrecognized special word boundary assertion", at: start)
      }
    }

    private static func hexValue(_ c: Unicode.Scalar) -> UInt32? {
      switch c {
      case "0"..."9": return c.value - 0x30
      case "a"..."f": return c.value - 0x61 + 10
      case "A"..."F": return c.value - 0x41 + 10
      default: return nil
      }
    }

    private mutating func parseHex(_ start: Int) throws(RustRegexError) -> SyntaxLiteral {
      let kind = char
      if !bumpAndBumpSpace() {
        throw error("incomplete escape sequence, reached end of pattern prematurely", at: start)
      }
      var value: UInt32 = 0
      var overflow = false
      func push(_ digit: UInt32) {
        let (times, o1) = value.multipliedReportingOverflow(by: 16)
        overflow = overflow || o1
        value = times | digit
      }
      if char == "{" {
        var digits = 0
        while bumpAndBumpSpace() && char != "}" {
          guard let digit = Self.hexValue(char) else { throw error("invalid hexadecimal digit") }
          push(digit)
          digits += 1
        }
        if isEOF { throw error("incomplete escape sequence, reached end of pattern prematurely", at: start) }
        bumpAndBumpSpace()
        if digits == 0 { throw error("hexadecimal literal empty", at: start) }
        guard !overflow, let scalar = Unicode.Scalar(value) else {
          throw error("hexadecimal literal is not a Unicode scalar value", at: start)
        }
        return SyntaxLiteral(scalar: scalar, isHexByte: false, offset: start)
      }
      let count = kind == "x" ? 2 : kind == "u" ? 4 : 8
      for index in 0..<count {
        if index > 0 && !bumpAndBumpSpace() {
          throw error("incomplete escape sequence, reached end of pattern prematurely", at: start)
        }
        guard let digit = Self.hexValue(char) else { throw error("invalid hexadecimal digit") }
        push(digit)
      }
      bumpAndBumpSpace()
      guard let scalar = Unicode.Scalar(value) else {
        throw error("hexadecimal literal is not a Unicode scalar value", at: start)
      }
      return SyntaxLiteral(scalar: scalar, isHexByte: kind == "x", offset: start)
    }

    private mutating func parseUnicodeClassName() throws(RustRegexError) -> UnicodeClassName {
      let eofMessage = "incomplete escape sequence, reached end of pattern prematurely"
      if !bumpAndBumpSpace() { throw error(eofMessage) }
      if char == "{" {
        var name = String.UnicodeScalarView()
        while bumpAndBumpSpace() && char != "}" { name.append(char) }
        if isEOF { throw error(eofMessage) }
        bump()
        let text = Array(name)
        func string(_ slice: ArraySlice<Unicode.Scalar>) -> String { String(String.UnicodeScalarView(slice)) }
        if let index = text.indices.first(where: { text[$0] == "!" && $0 + 1 < text.count && text[$0 + 1] == "=" }) {
          return .namedValue(name: string(text[..<index]), value: string(text[(index + 2)...]), notEqual: true)
        }
        if let index = text.firstIndex(of: ":") ?? text.firstIndex(of: "=") {
          return .namedValue(name: string(text[..<index]), value: string(text[(index + 1)...]), notEqual: false)
        }
        return .named(string(text[...]))
      }
      let c = char
      if c == "\\" { throw error("invalid Unicode character class") }
      bumpAndBumpSpace()
      return .oneLetter(c)
    }

    // MARK: Bracketed classes

    private mutating func parseSetClass() throws(RustRegexError) -> SyntaxNode {
      var union: [ClassSetNode] = []
      while true {
        bumpSpace()
        if isEOF { throw unclosedClassError() }
        switch char {
        case "[":
          if !classStack.isEmpty, let ascii = maybeParseASCIIClass() {
            union.append(ascii)
            continue
          }
          union = try pushClassOpen(union)
        case "]":
          if let top = try popClass(union, into: &union) { return top }
        case "&" where peek() == "&":
          pos += 2
          union = try pushClassOperator(.intersection, union)
        case "-" where peek() == "-":
          pos += 2
          union = try pushClassOperator(.difference, union)
        case "~" where peek() == "~":
          pos += 2
          union = try pushClassOperator(.symmetricDifference, union)
        default:
          union.append(try parseSetClassRange())
        }
      }
    }

    private func unclosedClassError() -> RustRegexError {
      for frame in classStack.reversed() {
        if case .open(_, _, let offset) = frame { return error("unclosed character class", at: offset) }
      }
      return error("unclosed character class")
    }

    private mutating func pushClassOpen(_ parent: [ClassSetNode]) throws(RustRegexError) -> [ClassSetNode] {
      let start = pos
      let unclosed = error("unclosed character class", at: start)
      if !bumpAndBumpSpace() { throw unclosed }
      var negated = false
      if char == "^" {
        negated = true
        if !bumpAndBumpSpace() { throw unclosed }
      }
      var union: [ClassSetNode] = []
      // Leading `-`s are literals, and so is a `]` that would otherwise close an empty class.
      while char == "-" {
        union.append(ClassSetNode(.literal(SyntaxLiteral(scalar: "-", isHexByte: false, offset: pos))))
        if !bumpAndBumpSpace() { throw unclosed }
      }
      if union.isEmpty && char == "]" {
        union.append(ClassSetNode(.literal(SyntaxLiteral(scalar: "]", isHexByte: false, offset: pos))))
        if !bumpAndBumpSpace() { throw unclosed }
      }
      classStack.append(.open(parent: parent, negated: negated, offset: start))
      return union
    }

    private func unionItem(_ union: [ClassSetNode]) throws(RustRegexError) -> ClassSetNode {
      switch union.count {
      case 0: return ClassSetNode(.empty)
      case 1: return union[0]
      default: return try classNode(.union(union), at: pos)
      }
    }

    /// Combines `rhs` with a pending operator, if one is on top of the stack.
    private mutating func popClassOperator(_ rhs: ClassSetNode) throws(RustRegexError) -> ClassSetNode {
      guard case .op(let kind, let lhs)? = classStack.last else { return rhs }
      classStack.removeLast()
      return try classNode(.binary(kind, lhs, rhs), at: pos)
    }

    private mutating func pushClassOperator(
      _ kind: ClassSetOperator, _ union: [ClassSetNode]
    ) throws(RustRegexError) -> [ClassSetNode] {
      let lhs = try popClassOperator(try unionItem(union))
      classStack.append(.op(kind, lhs: lhs))
      return []
    }

    /// Closes the innermost class. Returns the finished class at the outermost `]`;
    /// otherwise appends the nested class to its parent's items in `union`.
    private mutating func popClass(
      _ nested: [ClassSetNode], into union: inout [ClassSetNode]
    ) throws(RustRegexError) -> SyntaxNode? {
      let set = try popClassOperator(try unionItem(nested))
      guard case .open(var parent, let negated, let offset)? = classStack.popLast() else {
        throw error("unopened character class")
      }
      bump()
      if classStack.isEmpty {
        return try node(.bracketClass(set, negated: negated, offset: offset), at: offset)
      }
      parent.append(try classNode(.bracketed(set, negated: negated, offset: offset), at: offset))
      union = parent
      return nil
    }

    private mutating func maybeParseASCIIClass() -> ClassSetNode? {
      let start = pos
      var negated = false
      guard bump(), char == ":", bump() else {
        pos = start
        return nil
      }
      if char == "^" {
        negated = true
        if !bump() {
          pos = start
          return nil
        }
      }
      let nameStart = pos
      while char != ":" && bump() {}
      if isEOF {
        pos = start
        return nil
      }
      let name = String(String.UnicodeScalarView(scalars[nameStart..<pos]))
      guard bumpIf(":]"), let kind = AsciiClass(rawValue: name) else {
        pos = start
        return nil
      }
      return ClassSetNode(.ascii(kind, negated: negated))
    }

    private mutating func parseSetClassItem() throws(RustRegexError) -> Primitive {
      if char == "\\" { return try parseEscape() }
      let literal = SyntaxLiteral(scalar: char, isHexByte: false, offset: pos)
      bump()
      return .literal(literal)
    }

    private func classItem(_ primitive: Primitive) throws(RustRegexError) -> ClassSetNode {
      switch primitive {
      case .literal(let literal): return ClassSetNode(.literal(literal))
      case .perl(let kind, let negated, let offset): return ClassSetNode(.perl(kind, negated: negated, offset: offset))
      case .unicode(let name, let negated, let offset):
        return ClassSetNode(.unicode(name, negated: negated, offset: offset))
      case .assertion, .dot:
        throw error("invalid escape sequence found in character class", at: primitive.offset)
      }
    }

    private mutating func parseSetClassRange() throws(RustRegexError) -> ClassSetNode {
      let first = try parseSetClassItem()
      bumpSpace()
      if isEOF { throw unclosedClassError() }
      if char != "-" || peekSpace() == "]" || peekSpace() == "-" {
        return try classItem(first)
      }
      if !bumpAndBumpSpace() { throw unclosedClassError() }
      let second = try parseSetClassItem()
      guard case .literal(let lower) = first, case .literal(let upper) = second else {
        let offset = first.offset
        throw error("invalid range boundary, must be a literal", at: offset)
      }
      guard lower.scalar.value <= upper.scalar.value else {
        throw error("invalid character class range, the start must be <= the end", at: lower.offset)
      }
      return ClassSetNode(.range(lower, upper))
    }
  }
}
