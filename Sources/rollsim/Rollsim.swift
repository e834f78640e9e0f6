import ArgumentParser
import FlagEngine
import Foundation
import Scenario


@main
struct Rollsim: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rollsim",
    abstract: "Test feature-flag release policies on a simulated fleet before production does.",
    discussion: """
      Rollsim evaluates flags with its own Unleash-compatible engine, simulates fleets of devices \
      receiving a release under different policies, and benchmarks the engine against its peers.
      """,
    version: RollsimVersion.number,
    subcommands: [RunCommand.self, ValidateCommand.self, SweepCommand.self, CapacityCommand.self, EvalCommand.self, ConformanceCommand.self, BenchCommand.self]
  )

  /// Runs the command line. Input problems exit with 1 and usage problems with 2, each with a message
  /// that names the place; nothing is written to the output before the whole input has been read, but
  /// for `eval --contexts`, which streams (its answers to the lines before a bad one are written).
  static func main() {
    do {
      var command = try parseAsRoot()
      try command.run()
    } catch let failure as Failure {
      Diagnostics.error(failure.message)
      Foundation.exit(failure.status)
    } catch let error as FlagEngineError {
      Diagnostics.error(error.description)
      Foundation.exit(1)
    } catch let error as ScenarioError {
      Diagnostics.error(error.description)
      Foundation.exit(1)

    } catch {
      let code = exitCode(for: error)
      if code == .success {
        print(fullMessage(for: error))
        Foundation.exit(0)
      }
      Diagnostics.error(fullMessage(for: error))
      Foundation.exit(code == .validationFailure ? 2 : code.rawValue == 1 ? 1 : 2)
    }
  }
}

/// A refusal with its exit status: 1 for bad input, 2 for a bad invocation.
struct Failure: Error {
  let message: String
  let status: Int32

  static func input(_ message: String) -> Failure { Failure(message: message, status: 1) }
}

enum Diagnostics {
  static func error(_ message: String) {
    FileHandle.standardError.write(Data("rollsim: \(message)\n".utf8))
  }

  static func warning(_ message: String) {
    FileHandle.standardError.write(Data("rollsim: warning: \(message)\n".utf8))
  }

  /// A line for the person at the terminal, kept out of stdout (where the outcome goes).
  static func note(_ message: String) {
    FileHandle.standardError.write(Data("\(message)\n".utf8))
  }
}
