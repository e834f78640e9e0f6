import ArgumentParser
import FlagEngine
import Foundation
import Partition
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
    subcommands: [
      RunCommand.self, ValidateCommand.self, SweepCommand.self, CapacityCommand.self, EvalCommand.self, ConformanceCommand.self, BenchCommand.self,
      RanksCommand.self,
    ]
  )

  /// Runs the command line. Input problems exit with 1 and usage problems with 2, each with a message
  /// that names the place; nothing is written to the output before the whole input has been read, but
  /// for `eval --contexts`, which streams (its answers to the lines before a bad one are written).
  ///
  /// Started as one of several processes (mpirun, srun), only a command that spreads over ranks runs, and
  /// only the first process reports what all of them find (a bad argument, a bad scenario): the others
  /// exit with the same status in silence.
  static func main() {
    let launcher = Launcher(environment: ProcessInfo.processInfo.environment)
    do {
      var command = try parseAsRoot()
      if launcher.isOneOfSeveral {
        if !Ranks.builtWithMPI {
          _ = try Ranks.start()  // refuses: built without MPI
        }
        guard command is any SpreadsOverRanks else {
          let name = (type(of: command).configuration.commandName).map { "rollsim " + $0 } ?? "rollsim"
          throw Failure(
            message: "\(name) runs as one process, and \(launcher.name) started \(launcher.processes): start it without "
              + "\(launcher.name) (rollsim run, sweep, capacity and ranks spread over ranks)",
            status: 2)
        }
      }
      try command.run()
      Ranks.finish()
    } catch let stopped as Stopped {
      Ranks.finish()
      Foundation.exit(stopped.status)
    } catch {
      let (message, status) = report(for: error)
      if launcher.index == 0 {
        if status == 0 { print(message) } else { Diagnostics.error(message) }
      }
      Ranks.finish()
      Foundation.exit(status)
    }
  }

  /// What to say about `error`, and the exit status: 1 for bad input, 2 for a bad invocation, 0 for
  /// `--help` and `--version` (whose text is the message).
  static func report(for error: any Error) -> (message: String, status: Int32) {
    switch error {
    case let failure as Failure: return (failure.message, failure.status)
    case let error as FlagEngineError: return (error.description, 1)
    case let error as ScenarioError: return (error.description, 1)
    default:
      let code = exitCode(for: error)
      if code == .success { return (fullMessage(for: error), 0) }
      return (fullMessage(for: error), code == .validationFailure ? 2 : code.rawValue == 1 ? 1 : 2)
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
