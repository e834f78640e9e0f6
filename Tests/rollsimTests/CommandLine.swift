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

  /// Runs `rollsim` with `input` written to its standard input as it reads, and returns its exit status,
  /// output and peak memory: the high-water mark of its resident set (`VmHWM` in /proc/PID/status), read
  /// every 10 ms until it exits. Not `ru_maxrss` from wait4: Linux carries the parent's peak into a child
  /// across vfork and exec, so from a test runner that has grown to 270 MB the child would report 270 MB.
  static func measured(_ arguments: [String], input: @escaping @Sendable (FileHandle) -> Void) throws
    -> (status: Int32, stdout: Data, stderr: String, maxResidentBytes: Int)
  {
    let folder = try createTemporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let outPath = folder.appendingPathComponent("stdout").path
    let errPath = folder.appendingPathComponent("stderr").path
    // Close-on-exec, so that no other child spawned meanwhile keeps the pipe open (and the input unfinished).
    var fds: [Int32] = [0, 0]
    guard pipe(&fds) == 0 else { throw POSIXError(.EIO) }
    for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
    // A child that stops reading must not kill the test runner with SIGPIPE.
    signal(SIGPIPE, SIG_IGN)
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, fds[0], 0)
    posix_spawn_file_actions_addclose(&actions, fds[1])
    posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    let argv = ([rollsim] + arguments).map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, rollsim, &actions, nil, argv, environ)
    close(fds[0])
    guard spawned == 0 else {
      close(fds[1])
      throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EIO)
    }
    // The input is written from another thread while the child reads it.
    let writer = FileHandle(fileDescriptor: fds[1], closeOnDealloc: true)
    let written = DispatchSemaphore(value: 0)
    Thread.detachNewThread {
      input(writer)
      try? writer.close()
      written.signal()
    }
    var status: Int32 = 0
    var peak = 0
    while true {
      let reaped = waitpid(pid, &status, WNOHANG)
      if reaped == pid { break }
      if reaped < 0 && errno != EINTR { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
      // The mark only grows, so the last reading before the exit is the peak, less what the last 10 ms added.
      if let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
        let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
        let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "")
      {
        peak = max(peak, kilobytes * 1024)
      }
      usleep(10_000)
    }
    written.wait()
    // WEXITSTATUS; a child killed by a signal gives 128 + the signal.
    let exit = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    return (
      exit, try Data(contentsOf: URL(fileURLWithPath: outPath)),
      String(decoding: try Data(contentsOf: URL(fileURLWithPath: errPath)), as: UTF8.self), peak
    )
  }
}
