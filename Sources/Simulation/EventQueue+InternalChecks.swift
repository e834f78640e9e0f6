// Invariant checks for both event queues, as swift-collections has COLLECTIONS_INTERNAL_CHECKS: a build
// with `ROLLSIM_INTERNAL_CHECKS=1` in the environment (Package.swift defines the condition for this module)
// checks the whole queue after every insertion and removal while it holds at most 1,024 events, and after
// one operation in 1,024 beyond (a full check is O(n): every time, a hold model of 100,000 events would
// take hours), and traps with the first violation. For tests and for hunting a bug, never for measuring.
// Without the flag, debug builds still check small heaps (`EventHeap.isValidHeap(sampling:)`), and the
// tests call these checks directly.

extension EventQueue {
  /// Whether this operation's check is due: always on small queues, one operation in 1,024 on large ones
  /// (`tick` counts insertions, or removals: the sequence number after an insertion, the count after a
  /// removal).
  @usableFromInline
  static func checkDue(count: Int, tick: UInt32) -> Bool { count <= 1_024 || tick & 1_023 == 0 }
}

extension EventHeap {
  /// What is wrong with the queue, empty when nothing is: every node precedes its children, and no
  /// sequence number is at or past the next one to give.
  func invariantViolations() -> [String] {
    var found: [String] = []
    let events = heap.pointee.events
    for index in 0..<count {
      let event = events.unsafelyUnwrapped[index]
      if index > 0 && event.precedes(events.unsafelyUnwrapped[(index - 1) / 4]) {
        found.append("EventHeap: the event at \(index) precedes its parent at \((index - 1) / 4)")
      }
      if event.sequence >= nextSequence {
        found.append("EventHeap: the event at \(index) has sequence \(event.sequence), not below \(nextSequence)")
      }
    }
    return found
  }

  @usableFromInline
  func checkInvariantsNow(tick: UInt32) {
    guard Self.checkDue(count: count, tick: tick) else { return }
    let found = invariantViolations()
    precondition(found.isEmpty, found.joined(separator: "; "))
  }
}

extension RadixEventQueue {
  /// What is wrong with the queue, empty when nothing is: the events in the buckets and the base-time heap
  /// add up to `count`; every event sits in the bucket its time and the base choose and is not earlier
  /// than the base; each bucket's `earliest` is its earliest time; the occupancy masks say which buckets
  /// hold events; the base-time heap is ordered by `(key, sequence)`; no sequence number is at or past the
  /// next one to give.
  func invariantViolations() -> [String] {
    var found: [String] = []
    var total = 0
    for bucket in 0..<Self.currentIndex {
      let header = storage.buffers[bucket]
      let count = Int(header.count)
      total += count
      let (level, digit) = (bucket / Self.bucketsPerLevel, bucket % Self.bucketsPerLevel)
      let marked = storage.words[level * Self.wordsPerLevel + digit >> 6] >> UInt64(digit & 63) & 1 == 1
      if marked != (count > 0) { found.append("RadixEventQueue: bucket \(digit) of level \(level) holds \(count) events, marked \(marked ? "occupied" : "empty")") }
      if marked && storage.words[Self.levelSummary] >> UInt64(level) & 1 == 0 {
        found.append("RadixEventQueue: level \(level) has an occupied bucket but is marked empty")
      }
      var earliest = Int64.max
      for index in 0..<count {
        let event = header.events.unsafelyUnwrapped[index]
        let time = event.time.microseconds
        earliest = Swift.min(earliest, time)
        let difference = UInt64(bitPattern: time ^ base)
        if time < base || difference == 0 {
          found.append("RadixEventQueue: an event at \(time) µs is in bucket \(digit) of level \(level), with the base at \(base) µs")
          continue
        }
        let wanted = (63 - difference.leadingZeroBitCount) / Self.digitBits
        let wantedDigit = Int(truncatingIfNeeded: UInt64(bitPattern: time) >> UInt64(wanted * Self.digitBits)) & (Self.bucketsPerLevel - 1)
        if (wanted, wantedDigit) != (level, digit) {
          found.append("RadixEventQueue: an event at \(time) µs is in bucket \(digit) of level \(level), not \(wantedDigit) of \(wanted)")
        }
        if event.sequence >= nextSequence { found.append("RadixEventQueue: sequence \(event.sequence) is not below \(nextSequence)") }
      }
      if earliest != header.earliest {
        found.append("RadixEventQueue: bucket \(digit) of level \(level) says its earliest is \(header.earliest) µs, not \(earliest) µs")
      }
    }
    let heap = current.pointee.events
    for index in 0..<currentCount {
      let event = heap.unsafelyUnwrapped[index]
      if event.time.microseconds != base { found.append("RadixEventQueue: the base-time heap holds an event at \(event.time.microseconds) µs, the base is \(base) µs") }
      if index > 0 && event.order < heap.unsafelyUnwrapped[(index - 1) / 2].order {
        found.append("RadixEventQueue: the base-time heap's event at \(index) precedes its parent")
      }
      if event.sequence >= nextSequence { found.append("RadixEventQueue: sequence \(event.sequence) is not below \(nextSequence)") }
    }
    total += currentCount
    if total != pendingCount { found.append("RadixEventQueue: \(total) events held, \(pendingCount) counted") }
    return found
  }

  @usableFromInline
  func checkInvariantsNow(tick: UInt32) {
    guard Self.checkDue(count: count, tick: tick) else { return }
    let found = invariantViolations()
    precondition(found.isEmpty, found.joined(separator: "; "))
  }
}
