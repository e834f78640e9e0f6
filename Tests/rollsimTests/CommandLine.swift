import Foundation

/// Runs the `rollsim` executable built beside the test bundle.
struct CommandLine {
  struct Outcome {
    let status: Int32
    let stdout: String
    let stderr: String
  }

  /// The products folder: the test runner lives there, and so does `rollsim` (swift test builds it).
  static let products = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0]).deletingLastPathComponent()
  static let rollsim = products.appendingPathComponent("rollsim").path
  static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  /// Runs `executable` in `directory` (the package root unless given).
  static func run(
    _ executable: String, _ arguments: [String], stdin: String? = nil, environment: [String: String]? = nil,
    directory: URL? = nil
  ) throws -> Outcome {
    try withTemporaryFolder { folder in
      try run(executable, arguments, stdin: stdin, environment: environment, directory: directory, outputIn: folder)
    }
  }

  private static func run(
    _ executable: String, _ arguments: [String], stdin: String?, environment: [String: String]?, directory: URL?,
    outputIn folder: URL
  ) throws -> Outcome {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.currentDirectoryURL = directory ?? packageRoot
    if let environment { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
    // Output goes to files, so a large output can never block the child on a full pipe.
    let outURL = folder.appendingPathComponent("stdout")
    let errURL = folder.appendingPathComponent("stderr")
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
    let out = try FileHandle(forWritingTo: outURL)
    let err = try FileHandle(forWritingTo: errURL)
    let input = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input
    try process.run()
    if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
    try input.fileHandleForWriting.close()
    process.waitUntilExit()
    try out.close()
    try err.close()
    return Outcome(
      status: process.terminationStatus, stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
      stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
  }

  static func rollsim(_ arguments: String..., stdin: String? = nil) throws -> Outcome {
    try run(rollsim, arguments, stdin: stdin)
  }

  /// Runs rollsim in `directory`, with `environment` added to this process's.
  static func rollsim(in directory: URL, environment: [String: String]? = nil, _ arguments: String...) throws -> Outcome {
    try run(rollsim, arguments, environment: environment, directory: directory)
  }

  /// Gives `body` a fresh temporary folder and removes it, with everything in it, when `body` returns
  /// or throws: tests leave nothing in the temporary directory.
  static func withTemporaryFolder<T>(_ body: (URL) throws -> T) throws -> T {
    let url = try createTemporaryFolder()
    defer { try? FileManager.default.removeItem(at: url) }
    return try body(url)
  }

  /// A fresh temporary folder that the caller removes: a suite that keeps one for each test removes it
  /// in its `deinit`.
  static func createTemporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("rollsim-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  /// Every entry under `folder` (hidden ones too), each with its contents for a file: to show that a
  /// command left a folder exactly as it was.
  static func snapshot(_ folder: URL) throws -> [String: Data] {
    var entries: [String: Data] = [:]
    let manager = FileManager.default
    for case let path as String in manager.enumerator(atPath: folder.path)! {
      var isFolder: ObjCBool = false
      let url = folder.appendingPathComponent(path)
      _ = manager.fileExists(atPath: url.path, isDirectory: &isFolder)
      entries[path] = isFolder.boolValue ? Data("<folder>".utf8) : try Data(contentsOf: url)
    }
    return entries
  }
}
