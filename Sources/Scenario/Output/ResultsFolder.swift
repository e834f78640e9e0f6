import Foundation

/// A folder Rollsim writes its results into, kept safe for whatever else lives there.
///
/// A results folder is recognised by its manifest, `.rollsim-results`, which names the command that
/// wrote the folder and every file it wrote. Writing
/// - into a folder that does not exist creates it (and its missing parents);
/// - into an empty folder, or one with a manifest, replaces exactly the files Rollsim wrote there and
///   leaves every other file and sub-folder alone;
/// - into a non-empty folder without a manifest is refused, naming the folder; with `force`, Rollsim
///   replaces only files that carry its own names there, and never deletes anything else.
/// A file with one of Rollsim's names that Rollsim did not write is replaced only with `force`; a
/// sub-folder or a link with such a name never is.
///
/// Files are written whole to a staging folder on the same file system, then renamed into place, so a
/// failure leaves neither half-written files nor staging leftovers. Writers into the same folder take
/// turns (a lock on the folder), so several processes can add their files to one folder (a sweep's
/// shards, with `accumulating`), even when they start at once into a folder that is missing or empty:
/// another writer's staging folder or probe never makes a folder look like somebody else's.
public struct ResultsFolder: Sendable {
  /// The manifest's name, inside the results folder.
  public static let manifestName = ".rollsim-results"
  /// The manifest's first line, by which a results folder is recognised.
  static let manifestHeader = "# A Rollsim results folder. Rollsim replaces the files listed here when it writes here again, and leaves every other file alone."

  /// The folder as the user gave it (`~` expanded; `.` and `..` by their full path), for messages.
  public let path: String
  /// The names of the files the command writes.
  public let files: [String]
  /// Replace files with Rollsim's names that Rollsim did not write.
  public let force: Bool
  /// Keep the files earlier commands wrote here (a sweep's shard files, written by several processes),
  /// instead of removing those this command does not write.
  public let accumulating: Bool

  let url: URL

  /// Checks, before any work starts, that a command writing `files` can write them to `path`: the folder
  /// is not a file, is not somebody else's non-empty folder (unless `force`), holds no sub-folder with
  /// one of the names, and it (or the folder it will be created in) is writable.
  public static func prepare(
    _ path: String, files: [String], force: Bool = false, accumulating: Bool = false
  ) throws(ScenarioError) -> ResultsFolder {
    let folder = ResultsFolder(path: path, files: files, force: force, accumulating: accumulating)
    try folder.check()
    return folder
  }

  /// Checks `path` as ``prepare(_:files:force:accumulating:)`` does, before any work: for a command that
  /// must refuse the same folders (a file, somebody else's folder, a place it cannot write in).
  public static func check(_ path: String, files: [String], force: Bool = false) throws(ScenarioError) {
    _ = try prepare(path, files: files, force: force)
  }

  init(path: String, files: [String], force: Bool, accumulating: Bool = false) {
    // `~` as a shell reads it (from $HOME), for a `--out "~"` that reached Rollsim unexpanded.
    let home = ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()
    let expanded = path == "~" ? home : path.hasPrefix("~/") ? home + path.dropFirst() : path
    url = URL(fileURLWithPath: expanded.isEmpty ? "." : expanded).standardizedFileURL
    // `.` or `..` say little in a message: name those by their full path.
    let last = (expanded as NSString).lastPathComponent
    self.path = expanded.isEmpty || last == "." || last == ".." ? url.path : expanded
    self.files = files
    self.force = force
    self.accumulating = accumulating
  }

  /// Writes `contents` (the name and text of each file, the names given to ``prepare(_:files:force:accumulating:)``)
  /// and the manifest, naming `command`. The folder is checked again first: it may have changed while the
  /// command worked.
  public func write(_ contents: [(name: String, text: String)], command: String) throws(ScenarioError) {
    precondition(Set(contents.map(\.name)) == Set(files), "ResultsFolder.write: the files prepared and written differ")
    if case .create(let missing) = try plan(), try create(contents, command: command, missing: missing) { return }
    // The folder exists (or another process made it meanwhile): take turns with other writers, and
    // look at it again once it is this one's turn.
    try whileLocked { () throws(ScenarioError) in
      guard case .update(let owned) = try plan() else { throw fail("cannot write the results: the folder went away while writing") }
      try update(contents, command: command, owned: owned)
    }
  }

  // MARK: What writing means here

  /// Where the folder stands: missing (with the folders to create, outermost first), or there and ours
  /// to write into (with the files Rollsim wrote before).
  enum Plan: Equatable {
    case create(missing: [URL])
    case update(owned: [String])
  }

  func fail(_ message: String) -> ScenarioError { ScenarioError(file: path, path: "", message) }

  func check() throws(ScenarioError) {
    for name in files where !Self.isPlainName(name) || name == Self.manifestName {
      preconditionFailure("ResultsFolder: '\(name)' is not a plain file name")
    }
    switch try plan() {
    case .create(let missing):
      // The first folder to create goes into an existing one: that one must take a new entry.
      try probe(missing[0].deletingLastPathComponent())
    case .update:
      try probe(url)
    }
  }

  func plan() throws(ScenarioError) -> Plan {
    let manager = FileManager.default
    switch Self.kind(url) {
    case .none:
      // Walk up to the first folder that exists; everything below it is created.
      var missing = [url]
      var ancestor = url.deletingLastPathComponent()
      while Self.kind(ancestor) == nil {
        missing.insert(ancestor, at: 0)
        ancestor = ancestor.deletingLastPathComponent()
      }
      guard Self.kind(ancestor) == .folder else {
        throw fail("cannot write the results: \(ancestor.path) is a file, not a folder")
      }
      return .create(missing: missing)
    case .file?, .other?:
      throw fail("cannot write the results: it is a file, not a folder")
    case .folder?:
      break
    }
    let allEntries: [String]
    do {
      allEntries = try manager.contentsOfDirectory(atPath: url.path)
    } catch {
      throw fail("cannot write the results: cannot read the folder (\(Self.reason(error)))")
    }
    // Another writer's staging folder or probe, there for a moment, does not make the folder somebody
    // else's: shards started at once into one empty folder would refuse each other.
    let entries = allEntries.filter { !Self.isTransient($0) }
    let manifest = Self.readManifest(url.appendingPathComponent(Self.manifestName))
    let isOurs = manifest != nil || entries.isEmpty
    if !isOurs && !force {
      let shown = entries.sorted().prefix(3).map { Self.kind(url.appendingPathComponent($0), followingLinks: false) == .folder ? "\($0)/" : $0 }
      let more = entries.count > 3 ? " and \(entries.count - 3) more" : ""
      throw fail(
        "not a Rollsim results folder, and not empty (\(shown.joined(separator: ", "))\(more)): Rollsim writes only into a new "
          + "or empty folder, or one it wrote (with \(Self.manifestName)). Choose another --out, or add --force to replace "
          + "only \(files.joined(separator: ", ")) there and leave everything else")
    }
    let owned = manifest ?? []
    for name in files {
      let target = url.appendingPathComponent(name)
      switch Self.kind(target, followingLinks: false) {
      case nil: continue
      case .folder?:
        throw fail("cannot write the results: \(name) there is a folder, which Rollsim does not replace")
      case .other?:
        throw fail("cannot write the results: \(name) there is not a regular file (a link?), which Rollsim does not replace")
      case .file?:
        if !owned.contains(name) && !force {
          throw fail(
            "cannot write the results: \(name) there was not written by Rollsim (it is not in \(Self.manifestName)); "
              + "choose another --out, or pass --force to replace it")
        }
      }
    }
    return .update(owned: owned)
  }

  /// Creates and removes an empty folder in `folder`: the one real test that this process may write
  /// there (permissions, a read-only file system, a full quota of entries).
  func probe(_ folder: URL) throws(ScenarioError) {
    let probe = folder.appendingPathComponent(Self.probePrefix + UUID().uuidString).path
    guard mkdir(probe, 0o700) == 0 else {
      throw fail("cannot write the results: cannot write in \(folder.path) (\(String(cString: strerror(errno))))")
    }
    rmdir(probe)
  }

  // MARK: Writing

  /// A name no other file has: the staging folder is removed on failure, and must never be somebody else's.
  static func stagingName() -> String { stagingPrefix + UUID().uuidString }

  static let stagingPrefix = ".rollsim-partial-"
  static let probePrefix = ".rollsim-probe-"

  /// A writer's staging folder or probe: Rollsim's, and gone once that writer is done.
  static func isTransient(_ name: String) -> Bool { name.hasPrefix(stagingPrefix) || name.hasPrefix(probePrefix) }

  /// Runs `body` holding an exclusive lock on the folder (flock on the folder itself: no lock file).
  func whileLocked(_ body: () throws(ScenarioError) -> Void) throws(ScenarioError) {
    let descriptor = open(url.path, O_RDONLY | O_DIRECTORY)
    guard descriptor >= 0 else { throw fail("cannot write the results: cannot open the folder (\(String(cString: strerror(errno))))") }
    defer { close(descriptor) }
    guard flock(descriptor, LOCK_EX) == 0 else {
      throw fail("cannot write the results: cannot lock the folder (\(String(cString: strerror(errno))))")
    }
    try body()
  }

  /// A new folder: staged whole beside where it goes, then renamed into place in one step. Returns false,
  /// having left nothing behind, when another process made the folder first.
  func create(_ contents: [(name: String, text: String)], command: String, missing: [URL]) throws(ScenarioError) -> Bool {
    let manager = FileManager.default
    let parent = url.deletingLastPathComponent()
    let staging = parent.appendingPathComponent(Self.stagingName())
    var created: [URL] = []
    var staged = false
    do {
      for folder in missing.dropLast() {
        // Another writer may make the same parent at the same moment: a folder there is as good.
        guard mkdir(folder.path, 0o777) == 0 else {
          let code = errno
          if code == EEXIST && Self.kind(folder) == .folder { continue }
          throw NSError(domain: NSPOSIXErrorDomain, code: Int(code))
        }
        created.append(folder)
      }
      try manager.createDirectory(at: staging, withIntermediateDirectories: false)
      staged = true
      try stage(contents, command: command, listing: files, in: staging)
      try Self.rename(staging, over: url)
      return true
    } catch {
      if staged { try? manager.removeItem(at: staging) }
      // The parents this call created, innermost first, if they are still empty: another process may
      // have written into them meanwhile.
      for folder in created.reversed() { rmdir(folder.path) }
      let code = ((error as NSError).domain == NSPOSIXErrorDomain) ? Int32((error as NSError).code) : 0
      if (code == EEXIST || code == ENOTEMPTY) && Self.kind(url) == .folder { return false }
      throw fail("cannot write the results: \(Self.reason(error))")
    }
  }

  /// An existing folder: the files are staged inside it, then each renamed over its old version. The
  /// manifest lists old and new files while they are swapped, so none is ever left untracked.
  func update(_ contents: [(name: String, text: String)], command: String, owned: [String]) throws(ScenarioError) {
    let manager = FileManager.default
    let staging = url.appendingPathComponent(Self.stagingName())
    let manifest = url.appendingPathComponent(Self.manifestName)
    let stale = accumulating ? [] : owned.filter { !files.contains($0) }
    let listed = accumulating ? owned + files.filter { !owned.contains($0) } : files
    var staged = false
    do {
      try manager.createDirectory(at: staging, withIntermediateDirectories: false)
      staged = true
      try stage(contents, command: command, listing: listed, in: staging)
      let added = files.filter { !owned.contains($0) }
      if !added.isEmpty {
        try Data(Self.manifestText(command: command, files: owned + added).utf8).write(to: staging.appendingPathComponent(Self.manifestName + ".union"))
        try Self.rename(staging.appendingPathComponent(Self.manifestName + ".union"), over: manifest)
      }
      for name in files {
        try Self.rename(staging.appendingPathComponent(name), over: url.appendingPathComponent(name))
      }
      // Files an earlier command wrote here that this one does not: they would belong to no run.
      for name in stale where Self.kind(url.appendingPathComponent(name), followingLinks: false) == .file {
        try? manager.removeItem(at: url.appendingPathComponent(name))
      }
      try Self.rename(staging.appendingPathComponent(Self.manifestName), over: manifest)
      try manager.removeItem(at: staging)
    } catch {
      if staged { try? manager.removeItem(at: staging) }
      throw fail("cannot write the results: \(Self.reason(error))")
    }
  }

  /// Writes every file, and the manifest listing `listed`, into `staging`.
  func stage(_ contents: [(name: String, text: String)], command: String, listing listed: [String], in staging: URL) throws {
    for (name, text) in contents {
      try Data(text.utf8).write(to: staging.appendingPathComponent(name))
    }
    try Data(Self.manifestText(command: command, files: listed).utf8).write(to: staging.appendingPathComponent(Self.manifestName))
  }

  static func rename(_ source: URL, over destination: URL) throws {
    // rename(2) replaces a file in one step (FileManager.moveItem refuses an existing destination), and
    // a folder only when the destination is missing or an empty folder.
    guard Foundation.rename(source.path, destination.path) == 0 else {
      throw NSError(domain: NSPOSIXErrorDomain, code: Int(errno))
    }
  }

  // MARK: The manifest

  static func manifestText(command: String, files: [String]) -> String {
    var text = manifestHeader + "\n"
    text += "command: \(command.replacingOccurrences(of: "\n", with: " "))\n"
    for name in files { text += "file: \(name)\n" }
    return text
  }

  /// The files a manifest lists, or nil when `url` is not a manifest. Names that are not plain file
  /// names are ignored: a manifest never lets Rollsim touch anything outside its folder.
  static func readManifest(_ url: URL) -> [String]? {
    guard kind(url, followingLinks: false) == .file, let data = try? Data(contentsOf: url),
      let text = String(data: data, encoding: .utf8)
    else { return nil }
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    guard lines.first.map(String.init) == manifestHeader else { return nil }
    return lines.compactMap { line in
      guard line.hasPrefix("file: ") else { return nil }
      let name = String(line.dropFirst("file: ".count))
      return isPlainName(name) && name != manifestName ? name : nil
    }
  }

  static func isPlainName(_ name: String) -> Bool {
    !name.isEmpty && name != "." && name != ".." && !name.contains("/") && !name.contains("\0")
  }

  // MARK: The file system

  /// A regular file, a folder, or anything else (a link seen as itself, a device, a socket).
  enum Kind { case file, folder, other }

  /// What is at `url`, or nil for nothing. `followingLinks: false` sees a link itself, not its target.
  static func kind(_ url: URL, followingLinks: Bool = true) -> Kind? {
    var status = stat()
    let result = followingLinks ? stat(url.path, &status) : lstat(url.path, &status)
    guard result == 0 else { return nil }
    switch status.st_mode & S_IFMT {
    case S_IFDIR: return .folder
    case S_IFREG: return .file
    default: return .other
    }
  }

  /// The system's words for what went wrong ("Permission denied"), not Foundation's wrapper text.
  static func reason(_ error: any Error) -> String {
    let error = error as NSError
    if error.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(error.code))) }
    if let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
      return String(cString: strerror(Int32(underlying.code)))
    }
    let posix: Int32? =
      switch CocoaError.Code(rawValue: error.code) {
      case .fileNoSuchFile, .fileReadNoSuchFile: ENOENT
      case .fileWriteNoPermission, .fileReadNoPermission: EACCES
      case .fileWriteOutOfSpace: ENOSPC
      case .fileWriteVolumeReadOnly: EROFS
      case .fileWriteFileExists: EEXIST
      case .fileWriteInvalidFileName, .fileReadInvalidFileName: ENAMETOOLONG
      default: nil
      }
    if error.domain == NSCocoaErrorDomain, let posix { return String(cString: strerror(posix)) }
    return error.localizedDescription
  }
}
