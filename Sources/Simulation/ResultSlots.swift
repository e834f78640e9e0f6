import Foundation

/// One result per task of a parallel loop (`DispatchQueue.concurrentPerform`), each written by its own
/// thread and read in task order afterwards, so what is built from them does not depend on scheduling.
public final class ResultSlots<Value: Sendable>: @unchecked Sendable {
  private var slots: [Value?]
  private var claimed = 0
  private let lock = NSLock()

  public init(count: Int) { slots = Array(repeating: nil, count: count) }

  /// The next task no worker has taken yet, for loops with fewer workers than tasks.
  public func claim() -> Int? {
    lock.lock()
    defer { lock.unlock() }
    guard claimed < slots.count else { return nil }
    claimed += 1
    return claimed - 1
  }

  public func store(_ index: Int, _ value: Value) {
    lock.lock()
    slots[index] = value
    lock.unlock()
  }

  /// The results in task order (after the loop, every task has stored one).
  public var values: [Value] {
    lock.lock()
    defer { lock.unlock() }
    return slots.compactMap { $0 }
  }
}
