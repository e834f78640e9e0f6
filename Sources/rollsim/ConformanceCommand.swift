import ArgumentParser
import FlagEngine
import Foundation

struct ConformanceCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "conformance",
    abstract: "Run the Unleash client specification against Rollsim's engine.",
    discussion: """
      Runs every specification file (NN-name.json) in DIR, prints each failing case with its \
      description, and ends with the line 'N passed, M failed'. Exits with 1 if any case failed.
      """
  )

  @Argument(help: ArgumentHelp("The specification folder, e.g. ../shared/unleash-client-specification/specifications.", valueName: "DIR"))
  var directory: String

  @Flag(name: .long, help: "Also print a line per file.")
  var verbose = false

  func run() throws {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
      throw Failure.input("\(directory): not a folder")
    }
    let files = try FileManager.default.contentsOfDirectory(atPath: directory)
      .filter { $0.hasSuffix(".json") && $0 != "index.json" }
      .sorted()
    guard !files.isEmpty else { throw Failure.input("\(directory): no specification files (*.json)") }
    var passed = 0
    var failed = 0
    for file in files {
      let suite = try SpecificationSuite.load(path: (directory as NSString).appendingPathComponent(file))
      let result = suite.run()
      passed += result.passed
      failed += result.failures.count
      for failure in result.failures { print("FAIL \(failure)") }
      if verbose { print("\(file): \(result.passed) passed, \(result.failures.count) failed") }
    }
    print("\(passed) passed, \(failed) failed")
    if failed > 0 { throw ExitCode(1) }
  }
}
