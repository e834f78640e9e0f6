import ArgumentParser

/// What a command that plays a scenario may change in it: the fleet's size and the seed (run,
/// capacity, sweep).
struct ScenarioOverrides: ParsableArguments {
  @Option(
    parsing: .unconditional,
    help: ArgumentHelp("Rescale the fleet to N devices (1...1000000000).", valueName: "N"),
    transform: ArgumentRange.whole(ArgumentRange.devices))
  var devices: Int?

  @Option(
    parsing: .unconditional,
    help: ArgumentHelp("Override the scenario's seed, a sweep's first seed (0...18446744073709551615).", valueName: "S"),
    transform: ArgumentRange.whole(ArgumentRange.seeds))
  var seed: UInt64?
}
