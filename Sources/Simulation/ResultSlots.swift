import Foundation

/// One result per task of a parallel loop (`DispatchQueue.concurrentPerform`), each written by its own
/// thread and read in task order afterwards, so what is built from them does not depend on scheduling.
public final class ResultSlots<Value: Sendable>: @unchecked Sendable {
  private var slots: [Value?]
  private let lock = NSLock()

  public init(count: Int) { slots = Array(repeating: nil, count: count) }

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
