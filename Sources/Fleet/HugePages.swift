#if canImport(Glibc)
  import Glibc
#endif

/// Memory for large tables read at random (one device's record per event): asked of the kernel in
/// 2 MiB pages where it allows, so that random reads over hundreds of megabytes do not also miss the
/// TLB on every access.
enum HugePages {
  static let pageSize = 2 << 20

  static func allocate<T>(_ type: T.Type, count: Int) -> UnsafeMutablePointer<T> {
    let bytes = MemoryLayout<T>.stride * count
    #if canImport(Glibc)
      if bytes >= pageSize {
        let rounded = (bytes + pageSize - 1) / pageSize * pageSize
        if let raw = aligned_alloc(pageSize, rounded) {
          _ = madvise(raw, rounded, MADV_HUGEPAGE)
          return raw.bindMemory(to: T.self, capacity: count)
        }
      }
    #endif
    return UnsafeMutablePointer<T>.allocate(capacity: count)
  }

  static func free<T>(_ pointer: UnsafeMutablePointer<T>) {
    #if canImport(Glibc)
      Glibc.free(pointer)
    #else
      pointer.deallocate()
    #endif
  }
}
