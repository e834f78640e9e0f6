#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A growable array of events in raw memory: where it is, how many, how much room.
///
/// Events are `BitwiseCopyable`, so they are moved with `realloc` and copied with `memcpy`-like
/// updates, and never deinitialised.
@usableFromInline
struct EventBuffer<Payload: BitwiseCopyable> {
  @usableFromInline var events: UnsafeMutablePointer<ScheduledEvent<Payload>>?
  @usableFromInline var count: UInt32 = 0
  @usableFromInline var capacity: UInt32 = 0
  /// The earliest time in the buffer, for the users that keep it; `Int64.max` when not kept or empty.
  @usableFromInline var earliest: Int64 = .max

  @inlinable
  init() {}
}

/// The memory of an event queue: a fixed number of ``EventBuffer``s and of 64-bit words, owned by one
/// queue value and copied when a shared one is mutated (copy on write).
///
/// Every mutable field lives behind the two pointers, so that the hot paths pay for no dynamic
/// exclusivity check, which a class's `var` properties would need.
@usableFromInline
final class EventBuffers<Payload: BitwiseCopyable> {
  @usableFromInline typealias Event = ScheduledEvent<Payload>

  @usableFromInline let buffers: UnsafeMutablePointer<EventBuffer<Payload>>
  @usableFromInline let bufferCount: Int
  @usableFromInline let words: UnsafeMutablePointer<UInt64>
  @usableFromInline let wordCount: Int

  /// `bufferCount` empty buffers and `wordCount` zero words.
  @inlinable
  init(bufferCount: Int, wordCount: Int) {
    precondition(MemoryLayout<Event>.alignment <= 16, "Simulation: event payloads aligned beyond 16 bytes")
    self.bufferCount = bufferCount
    self.wordCount = wordCount
    buffers = .allocate(capacity: bufferCount)
    buffers.initialize(repeating: EventBuffer(), count: bufferCount)
    words = .allocate(capacity: Swift.max(wordCount, 1))
    words.initialize(repeating: 0, count: Swift.max(wordCount, 1))
  }

  deinit {
    for index in 0..<bufferCount {
      free(buffers[index].events)
    }
    buffers.deallocate()
    words.deallocate()
  }

  /// A deep copy. O(events + buffers).
  @usableFromInline
  func copy() -> EventBuffers {
    let copy = EventBuffers(bufferCount: bufferCount, wordCount: wordCount)
    for index in 0..<bufferCount where buffers[index].capacity > 0 {
      let buffer = buffers[index]
      copy.buffers[index] = buffer
      guard let memory = malloc(Int(buffer.capacity) * MemoryLayout<Event>.stride) else {
        fatalError("Simulation: out of memory for \(buffer.capacity) events")
      }
      let events = memory.bindMemory(to: Event.self, capacity: Int(buffer.capacity))
      events.update(from: buffer.events.unsafelyUnwrapped, count: Int(buffer.count))
      copy.buffers[index].events = events
    }
    copy.words.update(from: words, count: wordCount)
    return copy
  }

  /// Every event of every buffer, in buffer order.
  @usableFromInline
  func allEvents() -> [Event] {
    var events: [Event] = []
    for index in 0..<bufferCount {
      events.append(contentsOf: UnsafeBufferPointer(start: buffers[index].events, count: Int(buffers[index].count)))
    }
    return events
  }

  /// Empties every buffer, keeping its memory, and zeroes the words.
  @usableFromInline
  func empty() {
    for index in 0..<bufferCount {
      buffers[index].count = 0
      buffers[index].earliest = .max
    }
    words.update(repeating: 0, count: wordCount)
  }

  /// Gives `buffer` room for at least `minimumCapacity` events, doubling (16 at least). Amortised O(1)
  /// per event appended.
  @usableFromInline
  static func grow(_ buffer: UnsafeMutablePointer<EventBuffer<Payload>>, minimumCapacity: Int = 0) {
    let capacity = Swift.max(16, Int(buffer.pointee.capacity) * 2, minimumCapacity)
    precondition(capacity <= Int(UInt32.max), "Simulation: more than 2^32 events in one event buffer")
    guard let memory = realloc(buffer.pointee.events, capacity * MemoryLayout<Event>.stride) else {
      fatalError("Simulation: out of memory for \(capacity) events")
    }
    buffer.pointee.events = memory.bindMemory(to: Event.self, capacity: capacity)
    buffer.pointee.capacity = UInt32(capacity)
  }
}
