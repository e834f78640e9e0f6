import Foundation

/// A sweep's output folder, written without ever losing a file Rollsim did not write.
///
/// A sweep writes only `sweep-shard-*.jsonl`, `sweep.json` and `report.html`, and replaces one of them
/// only when it is Rollsim's own: a shard file whose first line is a sweep shard header (or a record of
/// an earlier Rollsim's shard), a `sweep.json` of kind "rollsim sweep" (or an earlier Rollsim's, which had
/// exactly `scenario`, `replications` and `policies`), a `report.html` that says it is a sweep's report.
/// Other files in the folder are never touched. Each file is written to a hidden temporary name beside
/// it and renamed into place, so a reader sees the old file or the new one, never half of one.
public struct SweepFolder: Sendable {
  public let path: String

  public init(_ path: String) { self.path = path }

  public static let summaryName = "sweep.json"
  public static let reportName = "report.html"

  /// The shard files in the folder, by name.
  public func shardFiles() throws(ScenarioError) -> [String] {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else {
      throw ScenarioError(file: path, path: "", "cannot read the folder (missing or not readable)")
    }
    return names.filter { $0.hasPrefix("sweep-shard-") && $0.hasSuffix(".jsonl") }.sorted()
  }

  /// Refuses, before any work, a folder these files cannot be written to: the folder (or, when it does not
  /// exist yet, the nearest folder above it) must be a writable folder, and each of `names` that exists
  /// must be Rollsim's.
  public func checkWritable(_ names: [String]) throws(ScenarioError) {
    let manager = FileManager.default
    var isDirectory: ObjCBool = false
    var existing = URL(fileURLWithPath: path).standardizedFileURL
    while !manager.fileExists(atPath: existing.path, isDirectory: &isDirectory) {
      let parent = existing.deletingLastPathComponent()
      if parent.path == existing.path { break }
      existing = parent
    }
    guard isDirectory.boolValue else {
      throw ScenarioError(file: path, path: "", "cannot write the sweep: \(existing.path) is a file, not a folder")
    }
    guard manager.isWritableFile(atPath: existing.path) else {
      throw ScenarioError(file: path, path: "", "cannot write the sweep: \(existing.path) is not writable")
    }
    for name in names { try checkReplaceable(name) }
  }

  /// Writes `files` (name and text): each to a temporary file first, then all renamed into place.
  public func write(_ files: [(name: String, text: String)]) throws(ScenarioError) {
    let manager = FileManager.default
    try checkWritable(files.map(\.name))
    do {
      try manager.createDirectory(atPath: path, withIntermediateDirectories: true)
    } catch {
      throw ScenarioError(file: path, path: "", "cannot create the folder: \(reason(error))")
    }
    let id = ProcessInfo.processInfo.processIdentifier
    var written: [(temporary: String, final: String)] = []
    do {
      for (name, text) in files {
        let temporary = "\(path)/.\(name).partial-\(id)"
        written.append((temporary, "\(path)/\(name)"))
        try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
      }
    } catch {
      for file in written { try? manager.removeItem(atPath: file.temporary) }
      throw ScenarioError(file: path, path: "", "cannot write the sweep: \(reason(error))")
    }
    for (index, file) in written.enumerated() where rename(file.temporary, file.final) != 0 {
      let message = String(cString: strerror(errno))
      for rest in written[index...] { try? manager.removeItem(atPath: rest.temporary) }
      throw ScenarioError(file: file.final, path: "", "cannot write: \(message)")
    }
  }

  /// Refuses to replace `name` when it exists and is not Rollsim's.
  func checkReplaceable(_ name: String) throws(ScenarioError) {
    let file = "\(path)/\(name)"
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) else { return }
    guard !isDirectory.boolValue, let data = FileManager.default.contents(atPath: file), Self.isRollsims(name: name, data) else {
      throw ScenarioError(
        file: path, path: "",
        "\(name) is not a file rollsim sweep wrote, and a sweep replaces only its own (sweep-shard-*.jsonl, sweep.json, "
          + "report.html): move it away or choose another --out")
    }
  }

  /// Whether `data`, the content of the file `name` in a sweep's folder, is Rollsim's.
  static func isRollsims(name: String, _ data: Data) -> Bool {
    let text = String(decoding: data, as: UTF8.self)
    switch name {
    case summaryName:
      guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { return false }
      return object["kind"] as? String == Sweep.summaryKind || Set(object.keys) == ["scenario", "replications", "policies"]
    case reportName:
      return text.prefix(4096).contains("<meta name=\"rollsim-report\" content=\"\(Report.sweepKind)\">")
    default:
      guard name.hasPrefix("sweep-shard-") && name.hasSuffix(".jsonl") else { return false }
      let first = Data((text.split(separator: "\n").first ?? "").utf8)
      guard let object = (try? JSONSerialization.jsonObject(with: first)) as? [String: Any] else { return false }
      return object["kind"] as? String == Sweep.shardKind || (try? JSONDecoder().decode(Sweep.Record.self, from: first)) != nil
    }
  }

  private func reason(_ error: any Error) -> String {
    let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
    return underlying.map { String(cString: strerror(Int32($0.code))) } ?? error.localizedDescription
  }
}
