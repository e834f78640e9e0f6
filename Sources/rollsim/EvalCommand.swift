import ArgumentParser
import FlagEngine
import Foundation

struct EvalCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "eval",
    abstract: "Evaluate flags of a state for contexts, as an Unleash SDK would.",
    discussion: """
      Reads a client-features state (the JSON an Unleash server sends to SDKs, or a delta with \
      'events') and evaluates flags with Rollsim's engine.

      With --contexts, each line of the file is {"toggleName": ..., "context": {...}} (the shape of \
      the Unleash client specification's tests); each output line, in order, is
      {"toggleName": ..., "enabled": bool, "variant": {"name": ..., "enabled": bool, \
      "feature_enabled": bool, "payload"?: {"type": ..., "value": ...}}}.

      With --flag and --context, one such line is printed for one case.

      Nothing is printed until every input line has been read and checked.
      """
  )

  @Option(name: .long, help: ArgumentHelp("The client-features state (JSON).", valueName: "STATE.json"))
  var state: String

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

  @Flag(name: .long, help: "Do not print the state's warnings.")
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
    let document = try StateDocument.load(path: state)
    let flagState = FlagState(document.resolved())
    if !quiet {
      for warning in flagState.warnings { Diagnostics.warning("\(state): \(warning)") }
    }
    let cases: [(toggleName: String, context: Context)]
    if let contexts {
      cases = try Self.readCases(path: contexts)
    } else {
      cases = [(flag!, try Context(jsonText: context!, place: "--context"))]
    }
    var evaluation = EvaluationContext(seed: seed)
    evaluation.hostname = hostname
    var output = ""
    output.reserveCapacity(cases.count * 120)
    for item in cases {
      evaluation.set(item.context)
      let enabled = flagState.isEnabled(item.toggleName, in: &evaluation)
      let variant = flagState.variant(item.toggleName, in: &evaluation)
      output += "{\"toggleName\":\(JSONValue.quote(item.toggleName)),\"enabled\":\(enabled),\"variant\":"
      output += "{\"name\":\(JSONValue.quote(variant.name)),\"enabled\":\(variant.enabled),\"feature_enabled\":\(variant.featureEnabled)"
      if let payload = variant.payload {
        output += ",\"payload\":{\"type\":\(JSONValue.quote(payload.type)),\"value\":\(JSONValue.quote(payload.value))}"
      }
      output += "}}\n"
    }
    FileHandle.standardOutput.write(Data(output.utf8))
  }

  /// Reads every line first, so that a bad line stops the run before anything is printed.
  static func readCases(path: String) throws -> [(toggleName: String, context: Context)] {
    let data: Data
    if path == "-" {
      data = FileHandle.standardInput.readDataToEndOfFile()
    } else {
      guard let contents = FileManager.default.contents(atPath: path) else {
        throw Failure.input("\(path): cannot read the file (missing or not readable)")
      }
      data = contents
    }
    guard let text = String(data: data, encoding: .utf8) else { throw Failure.input("\(path): not UTF-8 text") }
    var cases: [(String, Context)] = []
    for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let place = "\(path):\(offset + 1)"
      if line.allSatisfy(\.isWhitespace) { continue }
      let object: Any
      do {
        object = try JSONSerialization.jsonObject(with: Data(line.utf8))
      } catch {
        throw Failure.input("\(place): not valid JSON")
      }
      guard let fields = object as? [String: Any] else {
        throw Failure.input("\(place): expected an object with 'toggleName' and 'context'")
      }
      guard let toggleName = fields["toggleName"] as? String else {
        throw Failure.input("\(place): missing 'toggleName' (a string)")
      }
      let context = try Context(json: fields["context"] ?? [String: Any](), place: "\(place): context")
      cases.append((toggleName, context))
    }
    return cases
  }
}
