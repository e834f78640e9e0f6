/// Is-match search: a Pike VM without captures, i.e. a simulation of the NFA's state
/// set one scalar at a time. Each instruction enters a step's set at most once, so the
/// search is O(text × program) however the pattern is written.
extension RustRegex.Program {
  func isMatch(_ text: String) -> Bool {
    if let literalPlan { return Self.matches(literalPlan, text) }
    let count = instructions.count
    // Scratch space on the stack when small: two thread lists, a DFS stack, and the
    // step at which each instruction was last added.
    return withUnsafeTemporaryAllocation(of: Int32.self, capacity: 3 * count) { lists in
      withUnsafeTemporaryAllocation(of: Int.self, capacity: count) { marks in
        marks.initialize(repeating: 0)
        return run(
          text,
          current: UnsafeMutableBufferPointer(rebasing: lists[0..<count]),
          next: UnsafeMutableBufferPointer(rebasing: lists[count..<(2 * count)]),
          stack: UnsafeMutableBufferPointer(rebasing: lists[(2 * count)...]),
          marks: marks
        )
      }
    }
  }

  private func run(
    _ text: String,
    current currentList: UnsafeMutableBufferPointer<Int32>,
    next nextList: UnsafeMutableBufferPointer<Int32>,
    stack: UnsafeMutableBufferPointer<Int32>,
    marks: UnsafeMutableBufferPointer<Int>
  ) -> Bool {
    instructions.withUnsafeBufferPointer { program in
      var current = currentList
      var next = nextList
      var currentCount = 0
      var nextCount = 0
      var step = 1

      /// Follows non-consuming instructions from `pc` at the position between
      /// `previous` and `following`, adding consuming ones to `list`; true on reaching
      /// a match.
      func closure(
        _ pc: Int32, into list: UnsafeMutableBufferPointer<Int32>, _ listCount: inout Int,
        previous: UInt32?, following: UInt32?
      ) -> Bool {
        guard marks[Int(pc)] != step else { return false }
        marks[Int(pc)] = step
        var depth = 0
        stack[0] = pc
        depth = 1
        while depth > 0 {
          depth -= 1
          let at = stack[depth]
          let instruction = program[Int(at)]
          switch instruction.opcode {
          case .match:
            return true
          case .scalar, .set, .any:
            list[listCount] = at
            listCount += 1
          case .look:
            let look = RustRegex.Look(rawValue: UInt8(truncatingIfNeeded: instruction.argument))
            if look?.holds(previous: previous, next: following) == true, marks[Int(instruction.next)] != step {
              marks[Int(instruction.next)] = step
              stack[depth] = instruction.next
              depth += 1
            }
          case .split:
            if marks[Int(instruction.alternative)] != step {
              marks[Int(instruction.alternative)] = step
              stack[depth] = instruction.alternative
              depth += 1
            }
            if marks[Int(instruction.next)] != step {
              marks[Int(instruction.next)] = step
              stack[depth] = instruction.next
              depth += 1
            }
          }
        }
        return false
      }

      var scalars = text.unicodeScalars.makeIterator()
      var previous: UInt32? = nil
      var scalar = scalars.next()?.value
      var atStart = true
      while true {
        if currentCount == 0 {
          if anchoredStart && !atStart { return false }
          if let firstScalars {
            // No thread is alive: jump to the next scalar that can begin a match.
            var moved = false
            while let value = scalar, !classContains(firstScalars, value) {
              previous = value
              scalar = scalars.next()?.value
              moved = true
            }
            guard scalar != nil else { return false }
            if moved {
              step += 1
              atStart = false
            }
          }
        }
        if !anchoredStart || atStart {
          if closure(start, into: current, &currentCount, previous: previous, following: scalar) { return true }
        }
        guard let value = scalar else { return false }
        let following = scalars.next()?.value
        step += 1
        nextCount = 0
        for index in 0..<currentCount {
          let instruction = program[Int(current[index])]
          let consumes: Bool
          switch instruction.opcode {
          case .scalar: consumes = instruction.argument == value
          case .set: consumes = classContains(Int32(bitPattern: instruction.argument), value)
          case .any: consumes = true
          default: consumes = false
          }
          if consumes, closure(instruction.next, into: next, &nextCount, previous: value, following: following) {
            return true
          }
        }
        swap(&current, &next)
        currentCount = nextCount
        previous = value
        scalar = following
        atStart = false
      }
    }
  }

  @inline(__always)
  func classContains(_ index: Int32, _ value: UInt32) -> Bool {
    let scalarClass = classes[Int(index)]
    if value < 0x80 { return Self.asciiBit(scalarClass, value) }
    return bounds.withUnsafeBufferPointer { bounds in
      var low = Int(scalarClass.boundsStart) / 2
      var high = low + Int(scalarClass.rangeCount)
      while low < high {
        let mid = (low + high) >> 1
        if bounds[2 * mid + 1] < value { low = mid + 1 } else { high = mid }
      }
      return low < Int(scalarClass.boundsStart) / 2 + Int(scalarClass.rangeCount) && bounds[2 * low] <= value
    }
  }

  // MARK: Literal plans

  private static func matches(_ plan: LiteralPlan, _ text: String) -> Bool {
    var text = text
    return text.withUTF8 { haystack in
      switch plan {
      case .always:
        return true
      case .contains(let needle):
        return firstIndex(of: needle, in: haystack) != nil
      case .prefix(let needle):
        return haystack.count >= needle.count && haystack.prefix(needle.count).elementsEqual(needle)
      case .suffix(let needle):
        return haystack.count >= needle.count && haystack.suffix(needle.count).elementsEqual(needle)
      case .equals(let needle):
        return haystack.elementsEqual(needle)
      }
    }
  }

  /// Byte search: scan for the first byte, then compare the rest.
  private static func firstIndex(of needle: [UInt8], in haystack: UnsafeBufferPointer<UInt8>) -> Int? {
    guard !needle.isEmpty else { return 0 }
    guard haystack.count >= needle.count else { return nil }
    let first = needle[0]
    let last = haystack.count - needle.count
    var index = 0
    while index <= last {
      if haystack[index] == first {
        var offset = 1
        while offset < needle.count && haystack[index + offset] == needle[offset] { offset += 1 }
        if offset == needle.count { return index }
      }
      index += 1
    }
    return nil
  }
}
