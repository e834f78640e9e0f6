import ArgumentParser
import Foundation
import Scenario

/// Where and how a command writes its results folder (run, capacity, sweep).
struct OutputOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "The output folder (default: a folder under out/ named for the scenario). Rollsim writes only into a new or empty "
        + "folder, or one it wrote before (with .rollsim-results), where it replaces its own files and leaves every other file alone.",
      valueName: "DIR"))
  var out: String?

  @Flag(help: "Write into a non-empty folder Rollsim did not write before: replaces only files with Rollsim's names there, never deletes anything.")
  var force = false

  @Flag(help: "Nothing on stderr but errors and warnings (no progress, no closing 'results:' line).")
  var quiet = false

  func validate() throws {
    if let out, out.isEmpty { throw ValidationError("--out must name a folder") }
  }

  /// Checks the folder (`out`, or `fallback`) before any work starts: see ``ResultsFolder``. An
  /// `accumulating` folder keeps the files earlier commands wrote there (a sweep's shards).
  func prepare(_ fallback: String, files: [String], accumulating: Bool = false) throws(ScenarioError) -> ResultsFolder {
    try ResultsFolder.prepare(out ?? fallback, files: files, force: force, accumulating: accumulating)
  }

  /// Says where the results went, on stderr: stdout holds only the outcome, whatever folder it went to.
  func announce(_ folder: ResultsFolder) {
    guard !quiet else { return }
    Diagnostics.note("results: \(folder.path)/ (\(folder.files.joined(separator: ", ")))")
  }

  /// The command as typed, for the results folder's manifest: `rollsim run scenarios/x.yaml --devices 2000`.
  static var invocation: String {
    (["rollsim"] + Swift.CommandLine.arguments.dropFirst().map(quoted)).joined(separator: " ")
  }

  /// A word as a POSIX shell reads it back.
  static func quoted(_ word: String) -> String {
    let plain = !word.isEmpty && word.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || "0123456789-_./:=,+@%".unicodeScalars.contains($0)) }
    return plain ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
  }
}
