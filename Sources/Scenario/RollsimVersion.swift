/// Rollsim's version: what `rollsim --version` prints and what every sweep record carries, so that shards
/// run by different Rollsims are never merged into one summary.
///
/// How it is bumped: by hand, in the commit that changes it. The minor number goes up with any change that
/// can alter what a run or a sweep outputs for the same scenario and seed (the simulation, a policy, a
/// file's format); the patch number with a change that cannot (messages, speed, documentation).
///
/// Not the git commit: SwiftPM has no way to stamp it into a build without a plugin that runs git, the same
/// commit with uncommitted edits would carry the same stamp while computing something else, and a sweep's
/// summary would change with every commit even when nothing it measures did.
public enum RollsimVersion {
  public static let number = "0.1.0"
}
