import ArgumentParser
import Scenario

struct ValidateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "validate",
    abstract: "Check a scenario without running it, and print what Rollsim understood of it.",
    discussion: """
      Reads the scenario as 'rollsim run' would (every key, value and range; the flag state; the \
      faults' device constraints; each policy's plan and gates, started on a small fleet of the \
      scenario) and prints the fleet, the release, the faults, the telemetry pipeline and the policies \
      with every default filled in. Exit status 0 when the scenario can run; otherwise 1, with the \
      first problem as FILE:LINE:COLUMN: FIELD: PROBLEM.
      """
  )

  @Argument(help: ArgumentHelp("The scenario file.", valueName: "SCENARIO.yaml")) var scenario: String
  @Flag(help: "Print nothing when the scenario is valid.") var quiet = false

  func run() throws {
    let loaded = try LoadedScenario.load(path: scenario)
    let controllers = try ScenarioRunner.check(loaded)
    if !quiet { print(ScenarioDescription.text(loaded, controllers: controllers), terminator: "") }
  }
}
