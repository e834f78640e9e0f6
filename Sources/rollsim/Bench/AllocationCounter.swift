#if canImport(CJemalloc)
  import CJemalloc
#endif

/// Counts heap allocations through jemalloc's statistics (the rollsim binary's allocator on Linux).
///
/// The calling thread's cache is switched off while counting, so every allocation reaches an arena and
/// is counted by `stats.arenas.<all>.{small,large}.nmalloc`.
enum AllocationCounter {
  /// Whether counts are available (jemalloc is the allocator and was built with statistics).
  static var isAvailable: Bool { total() != nil }

  /// Allocations made by `body`, or `nil` when jemalloc statistics are unavailable.
  static func count(_ body: () -> Void) -> UInt64? {
    #if canImport(CJemalloc)
      setThreadCache(enabled: false)
      defer { setThreadCache(enabled: true) }
      guard let before = total() else {
        body()
        return nil
      }
      body()
      guard let after = total() else { return nil }
      return after - before
    #else
      body()
      return nil
    #endif
  }

  /// The allocator's name, for reports.
  static var allocatorName: String {
    #if canImport(CJemalloc)
      var version: UnsafePointer<CChar>? = nil
      var size = MemoryLayout<UnsafePointer<CChar>?>.size
      if mallctl("version", &version, &size, nil, 0) == 0, let version {
        return "jemalloc " + String(cString: version)
      }
      return "jemalloc"
    #else
      return "system malloc"
    #endif
  }

  static func total() -> UInt64? {
    #if canImport(CJemalloc)
      // Writing to "epoch" refreshes the statistics.
      var epoch: UInt64 = 1
      guard mallctl("epoch", nil, nil, &epoch, MemoryLayout<UInt64>.size) == 0 else { return nil }
      // Two reads, no array of names: reading the counters must not allocate, or it would be counted.
      guard let small = read("stats.arenas.4096.small.nmalloc"), let large = read("stats.arenas.4096.large.nmalloc") else {
        return nil
      }
      return small + large
    #else
      return nil
    #endif
  }

  #if canImport(CJemalloc)
    static func read(_ name: StaticString) -> UInt64? {
      var value: UInt64 = 0
      var size = MemoryLayout<UInt64>.size
      let status = name.withUTF8Buffer { name in
        name.withMemoryRebound(to: CChar.self) { mallctl($0.baseAddress, &value, &size, nil, 0) }
      }
      return status == 0 ? value : nil
    }

    static func setThreadCache(enabled: Bool) {
      var flag = enabled
      _ = mallctl("thread.tcache.enabled", nil, nil, &flag, MemoryLayout<Bool>.size)
    }
  #endif
}
