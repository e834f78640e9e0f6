import ArgumentParser

/// Whether a command leaves out what measures this machine (run, capacity). A sweep's files hold no
/// such figures, so a sweep does not take it.
struct Reproducibility: ParsableArguments {
  @Flag(help: "Leave out what measures this machine (wall time, memory, a measured cost), so outputs are byte-identical from run to run.")
  var reproducible = false
}
