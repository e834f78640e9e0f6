import ArgumentParser
import FlagEngine
import Foundation

struct EvalCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "eval",
    abstract: "Evaluate flags of a state for contexts, as an Unleash SDK would.",
    discussion: """
      Reads a flag state and evaluates flags with Rollsim's engine. The state is a client-features \
      payload (the JSON an Unleash server sends to SDKs), a delta with 'events', or an export from \
      Unleash's admin UI ('features', 'featureStrategies', 'featureEnvironments', ...), converted to what \
      the server would send an SDK of one environment (--environment; needed when the export holds \
      several).

      With --contexts, each line of the file ('-' for standard input) is {"toggleName": ..., "context": \
      {...}} (the shape of the Unleash client specification's tests); each output line, in order, is
      {"toggleName": ..., "enabled": bool, "variant": {"name": ..., "enabled": bool, \
      "feature_enabled": bool, "payload"?: {"type": ..., "value": ...}}}.
      The file is streamed: memory stays the same for any number of lines, and answers are written as \
      lines are read. A malformed line stops the run with FILE:LINE: place: problem and exit status 1; \
      the answers to the lines before it have already been written.

      With --flag and --context, one such line is printed for one case.

      A flag the state does not have is answered as Unleash SDKs answer it (off, variant 'disabled', \
      feature_enabled false), with a warning on stderr, once per name; the exit status stays 0.
      """
  )

  @Option(name: .long, help: ArgumentHelp("The flag state (JSON): client features, a delta, or an Unleash export.", valueName: "STATE.json"))
  var state: String

  @Option(name: .long, help: ArgumentHelp("The environment to take from an Unleash export.", valueName: "NAME"))
  var environment: String?

  @Option(name: .long, help: ArgumentHelp("Cases to evaluate, one JSON object per line ('-' for stdin).", valueName: "CASES.jsonl"))
  var contexts: String?

  @Option(name: .long, help: ArgumentHelp("The flag to evaluate (with --context).", valueName: "NAME"))
  var flag: String?

  @Option(name: .long, help: ArgumentHelp("The context as JSON, e.g. '{\"userId\": \"42\"}' (with --flag).", valueName: "JSON"))
  var context: String?

  @Option(name: .long, help: "Host name matched by 'applicationHostname' strategies (default: none matches, as in Unleash's reference engine).")
  var hostname: String?

  @Option(
    name: .long, parsing: .unconditional, help: "Seed of the random draws of random rollouts and unsticky variants (0...18446744073709551615).",
    transform: ArgumentRange.whole(ArgumentRange.seeds))
  var seed: UInt64 = 0

  @Flag(name: .long, help: "Print no warnings (the state's, unknown flags) and no progress.")
  var quiet = false

  func validate() throws {
    switch (contexts, flag, context) {
    case (.some, nil, nil), (nil, .some, .some): return
    case (.some, _, _): throw ValidationError("use either --contexts or --flag with --context, not both")
    case (nil, .some, nil): throw ValidationError("--flag needs --context (use '{}' for an empty context)")
    case (nil, nil, .some): throw ValidationError("--context needs --flag")
    case (nil, nil, nil): throw ValidationError("give --contexts FILE, or --flag NAME with --context JSON")
    }
  }

  func run() throws {
    var warnings: [String] = []
    let document: StateDocument
    do {
      document = try StateDocument.load(path: state, environment: environment, warnings: &warnings)
    } catch {
      // The engine does not know how the environment is chosen here; say it.
      guard error.code == .environmentRequired else { throw error }
      throw Failure.input("\(error.description) with --environment NAME")
    }
    let flagState = FlagState(document.resolved())
    if !quiet {
      for warning in warnings { Diagnostics.warning(warning) }
      for warning in flagState.warnings { Diagnostics.warning("\(state): \(warning)") }
    }
    var answers = Answers(state: flagState, stateName: state, warn: !quiet)
    var evaluation = EvaluationContext(seed: seed)
    evaluation.hostname = hostname
    if let contexts {
      try answers.stream(contexts, into: &evaluation, progress: ProgressLine(enabled: !quiet))
    } else {
      evaluation.set(try Context(jsonText: context!, place: "--context"))
      answers.answer(flag!, in: &evaluation, place: "")
      try answers.output.flush()
    }
    answers.summarise()
  }
}

/// Evaluates cases and writes their answer lines.
struct Answers {
  let state: FlagState
  let stateName: String
  let warn: Bool
  var output = OutputBuffer()
  /// Unknown flags already warned about, up to a bound (memory stays bounded), and the lines that asked for one.
  private var unknown = Set<String>()
  private var unknownLines = 0
  static let unknownNamesWarned = 100
  /// The last flag asked for: consecutive lines usually ask for the same one.
  private var lastName = ""
  private var lastHandle: FlagHandle?

  init(state: FlagState, stateName: String, warn: Bool) {
    self.state = state
    self.stateName = stateName
    self.warn = warn
  }

  /// Streams the cases of `path` (`-`: standard input), writing answers as they come.
  mutating func stream(_ path: String, into evaluation: inout EvaluationContext, progress: ProgressLine) throws {
    let reader = try LineReader(path: path)
    defer { reader.close() }
    let path = reader.name
    var decoder = CaseDecoder(hostname: evaluation.hostname)
    var nextProgress = Date().addingTimeInterval(1)
    var cases = 0
    do {
      try reader.forEachLine { line, number in
        guard let name = try decoder.decode(line, into: &evaluation, place: "\(path):\(number)") else { return }
        answer(name, in: &evaluation, place: "\(path):\(number)")
        try output.flushIfFull()
        cases += 1
        if progress.enabled && cases & 0xFFFF == 0 && Date() >= nextProgress {
          progress.show("rollsim eval: \(cases) cases")
          nextProgress = Date().addingTimeInterval(1)
        }
      }
    } catch {
      // The answers to the lines before the bad one are written; then the message.
      progress.clear()
      try output.flush()
      throw error
    }
    progress.clear()
    try output.flush()
  }

  /// Appends the answer to one case.
  mutating func answer(_ name: String, in evaluation: inout EvaluationContext, place: @autoclosure () -> String) {
    if name != lastName || lastHandle == nil {
      lastName = name
      lastHandle = state.flag(name)
    }
    output.append("{\"toggleName\":")
    output.appendQuoted(name)
    guard let flag = lastHandle else {
      // What Unleash SDKs answer for a flag they do not know.
      output.append(",\"enabled\":false,\"variant\":{\"name\":\"disabled\",\"enabled\":false,\"feature_enabled\":false}}\n")
      noteUnknown(name, place: place())
      return
    }
    let enabled = state.isEnabled(flag, in: &evaluation)
    let variant = state.variant(flag, in: &evaluation)
    output.append(",\"enabled\":")
    output.append(enabled)
    output.append(",\"variant\":{\"name\":")
    output.appendQuoted(variant.name)
    output.append(",\"enabled\":")
    output.append(variant.enabled)
    output.append(",\"feature_enabled\":")
    output.append(variant.featureEnabled)
    if let payload = variant.payload {
      output.append(",\"payload\":{\"type\":")
      output.appendQuoted(payload.type)
      output.append(",\"value\":")
      output.appendQuoted(payload.value)
      output.append("}")
    }
    output.append("}}\n")
  }

  private mutating func noteUnknown(_ name: String, place: String) {
    unknownLines += 1
    guard warn, unknown.count < Self.unknownNamesWarned, unknown.insert(name).inserted else { return }
    var message = "\(place.isEmpty ? "" : "\(place): ")flag '\(name)' is not in \(stateName); answered as off, as Unleash SDKs answer an unknown flag"
    if let near = Self.nearest(to: name, in: state.flagNames) { message += " (did you mean '\(near)'?)" }
    Diagnostics.warning(message)
    if unknown.count == Self.unknownNamesWarned { Diagnostics.warning("further unknown flags are not named") }
  }

  /// After a stream: how many lines asked for a flag the state does not have.
  func summarise() {
    guard warn, unknownLines > 1 else { return }
    Diagnostics.warning("\(unknownLines) cases asked for flags that are not in \(stateName)")
  }

  /// The flag name closest to `name` by edit distance, when it is close enough to be a typo.
  static func nearest(to name: String, in names: [String]) -> String? {
    let target = Array(name.unicodeScalars)
    var best: (distance: Int, name: String)?
    for candidate in names {
      let other = Array(candidate.unicodeScalars)
      guard abs(other.count - target.count) <= 2 else { continue }
      var previous = Array(0...other.count)
      for (i, a) in target.enumerated() {
        var current = [i + 1] + Array(repeating: 0, count: other.count)
        for (j, b) in other.enumerated() {
          current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (a == b ? 0 : 1))
        }
        previous = current
      }
      let distance = previous[other.count]
      if distance <= max(1, target.count / 4), distance < (best?.distance ?? .max) { best = (distance, candidate) }
    }
    return best?.name
  }
}
