import Foundation
import Testing
import Yams

@testable import Scenario

/// Every shipped scenario, mutated the ways people get scenarios wrong: each key misspelt, an unknown key
/// in each mapping, each duration without its unit, each number pushed out of range, each value of the
/// wrong shape, each key deleted. A mistake must be refused (exit 1) with a message on the line of the
/// mistake; nothing may trap or hang; and what is accepted (deleted optional keys, numbers in range) must
/// run. This is how "no mutation runs with a different meaning than written" is held.
@Suite struct ScenarioMutationTests {
  static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("scenarios")
  static let scenarios = (try? FileManager.default.contentsOfDirectory(atPath: folder.path))?.filter { $0.hasSuffix(".yaml") }.sorted() ?? []

  @Test func everyShippedScenarioIsCovered() {
    #expect(Self.scenarios.count >= 6)
  }

  /// In process: a trap here fails the whole test run, loudly, which is what it should do.
  @Test(arguments: scenarios) func mistakesAreRefusedOnTheirLine(_ name: String) throws {
    let text = try String(contentsOf: Self.folder.appendingPathComponent(name), encoding: .utf8)
    let root = try #require(try Yams.compose(yaml: text))
    let mutations = Mutation.all(of: root)
    #expect(mutations.count > 50, "\(name): too few mutations to mean anything")
    var accepted = 0
    for mutation in mutations {
      let mutated = try Yams.serialize(node: mutation.apply(to: root))
      let context = "\(name): \(mutation)"
      let refusal: ScenarioError?
      var loaded: LoadedScenario? = nil
      do {
        loaded = try LoadedScenario.load(text: mutated, file: name)
        _ = try ScenarioRunner.check(loaded!)
        refusal = nil
      } catch {
        refusal = error
      }
      switch mutation.expectation {
      case .refused(let mentioning):
        guard let refusal else {
          Issue.record("accepted: \(context)")
          continue
        }
        // The line named holds the mistake.
        let lines = mutated.split(separator: "\n", omittingEmptySubsequences: false)
        if let line = refusal.location?.line, lines.indices.contains(line - 1) {
          #expect(lines[line - 1].contains(mentioning), "\(context): line \(line) is '\(lines[line - 1])', message: \(refusal)")
        } else {
          Issue.record("\(context): no line in \(refusal)")
        }
      case .mayBeAccepted:
        // What is accepted must run, on a small fleet: every one is prepared (the fleet, its model and each
        // policy's controller, where a run refuses what validation let through); runs of more than two
        // simulated days (Google's two weeks take most of a minute in a debug build) are simulated for one
        // accepted mutation in twenty-five, with their first policy; the others all, with every policy.
        guard refusal == nil, let loaded else { continue }
        accepted += 1
        do {
          _ = try ScenarioRunner.prepare(loaded, seed: loaded.definition.seed, devices: 40, policies: [])
          let long = loaded.definition.duration > .days(2)
          guard !long || accepted % 25 == 1 else { continue }
          let policies = long ? [loaded.definition.policies[0].name] : []
          let outcome = try ScenarioRunner.run(loaded, options: RunOptions(devices: 40, policies: policies))
          #expect(outcome.policies.count == (long ? 1 : loaded.definition.policies.count))
        } catch {
          Issue.record("\(context): validated, but the run refused it: \(error)")
        }
      }
    }
    #expect(accepted > 10, "\(name): deleting optional keys must leave runnable scenarios")
  }
}

/// One change to a scenario's document.
struct Mutation: CustomStringConvertible {
  enum Kind {
    case misspellKey(String)
    case addUnknownKey
    case dropUnit(String)
    case replaceValue(String)
    case deleteKey
  }

  enum Expectation {
    /// Exit 1, with the line of the mistake holding this text.
    case refused(mentioning: String)
    /// Exit 0 (then it must run) or 1.
    case mayBeAccepted
  }

  /// Steps from the root: a mapping's pair by position, or a list's element.
  let steps: [Int]
  let path: String
  let kind: Kind

  var description: String {
    switch kind {
    case .misspellKey(let name): return "\(path): key misspelt as '\(name)'"
    case .addUnknownKey: return "\(path): unknown key added"
    case .dropUnit(let value): return "\(path): duration written as \(value)"
    case .replaceValue(let value): return "\(path): value replaced by \(value)"
    case .deleteKey: return "\(path): deleted"
    }
  }

  static let unknownKey = "zzNotAField"
  static let outOfRange = ["1e308", "-1e308", "1e19"]
  static let inRangeProbes = ["-1", "0"]

  var expectation: Expectation {
    switch kind {
    case .misspellKey(let name): return .refused(mentioning: name)
    case .addUnknownKey: return .refused(mentioning: Self.unknownKey)
    case .dropUnit(let value): return .refused(mentioning: value)
    case .replaceValue(let value):
      if value.hasPrefix("{") { return .refused(mentioning: "zzShape") }
      return Self.inRangeProbes.contains(value) ? .mayBeAccepted : .refused(mentioning: value)
    case .deleteKey: return .mayBeAccepted
    }
  }

  /// Mappings whose keys are data (names and shares, Unleash strategy parameters), not fields.
  static let dataMappings: Set<String> = ["platforms", "tiers", "appVersions", "firmware", "parameters"]

  static func all(of root: Node) -> [Mutation] {
    var mutations: [Mutation] = []
    func walk(_ node: Node, _ steps: [Int], _ path: String, keyName: String?, parentName: String?) {
      switch node {
      case .mapping(let mapping):
        let isData = keyName.map { dataMappings.contains($0) } == true || parentName == "appVersions"
        if !isData { mutations.append(Mutation(steps: steps, path: path, kind: .addUnknownKey)) }
        for (index, pair) in mapping.enumerated() {
          let name = pair.key.scalar?.string ?? ""
          let childPath = path.isEmpty ? name : "\(path).\(name)"
          if !isData {
            mutations.append(Mutation(steps: steps + [index], path: childPath, kind: .misspellKey(misspelt(name))))
            mutations.append(Mutation(steps: steps + [index], path: childPath, kind: .deleteKey))
          }
          walk(pair.value, steps + [index], childPath, keyName: name, parentName: keyName)
        }
      case .sequence(let sequence):
        for (index, element) in sequence.enumerated() {
          walk(element, steps + [index], "\(path)[\(index)]", keyName: nil, parentName: keyName)
        }
      case .scalar(let scalar):
        guard scalar.style == .plain else { return }
        let text = scalar.string
        if let unitless = durationWithoutUnit(text) {
          mutations.append(Mutation(steps: steps, path: path, kind: .dropUnit(unitless)))
        } else if Double(text) != nil {
          for value in outOfRange + inRangeProbes where value != text {
            mutations.append(Mutation(steps: steps, path: path, kind: .replaceValue(value)))
          }
        }
        if keyName != "description", keyName != "name" {
          mutations.append(Mutation(steps: steps, path: path, kind: .replaceValue("{zzShape: 1}")))
        }
      case .alias:
        break
      }
    }
    walk(root, [], "", keyName: nil, parentName: nil)
    return mutations
  }

  /// `15m` -> `15`; nil when the text is not a duration.
  static func durationWithoutUnit(_ text: String) -> String? {
    guard let match = text.firstMatch(of: /^([0-9]+(?:\.[0-9]+)?)(us|ms|s|m|h|d)$/) else { return nil }
    return String(match.1)
  }

  /// A slip of the keyboard: two neighbours swapped, or a letter doubled when that changes nothing.
  static func misspelt(_ name: String) -> String {
    var characters = Array(name)
    if characters.count >= 3 {
      let i = characters.count / 2
      if characters[i] != characters[i - 1] {
        characters.swapAt(i, i - 1)
        return String(characters)
      }
    }
    return name + "z"
  }

  func apply(to root: Node) -> Node { apply(to: root, steps[...]) }

  private func apply(to node: Node, _ rest: ArraySlice<Int>) -> Node {
    guard let step = rest.first else { return replaced(node) }
    let remaining = rest.dropFirst()
    switch node {
    case .mapping(var mapping):
      var pairs = mapping.map { ($0.key, $0.value) }
      if remaining.isEmpty {
        switch kind {
        case .misspellKey(let name):
          pairs[step].0 = .scalar(Node.Scalar(name))
          mapping = Node.Mapping(pairs, mapping.tag, mapping.style, mapping.mark)
          return .mapping(mapping)
        case .deleteKey:
          pairs.remove(at: step)
          return .mapping(Node.Mapping(pairs, mapping.tag, mapping.style, mapping.mark))
        default:
          break
        }
      }
      pairs[step].1 = apply(to: pairs[step].1, remaining)
      return .mapping(Node.Mapping(pairs, mapping.tag, mapping.style, mapping.mark))
    case .sequence(let sequence):
      var nodes = Array(sequence)
      nodes[step] = apply(to: nodes[step], remaining)
      return .sequence(Node.Sequence(nodes, sequence.tag, sequence.style, sequence.mark))
    default:
      return node
    }
  }

  private func replaced(_ node: Node) -> Node {
    switch kind {
    case .addUnknownKey:
      guard case .mapping(let mapping) = node else { return node }
      let pairs = mapping.map { ($0.key, $0.value) } + [(Node.scalar(Node.Scalar(Self.unknownKey)), Node.scalar(Node.Scalar("1")))]
      return .mapping(Node.Mapping(pairs, mapping.tag, mapping.style, mapping.mark))
    case .dropUnit(let value):
      return .scalar(Node.Scalar(value))
    case .replaceValue(let value):
      if value.hasPrefix("{") { return .mapping(Node.Mapping([(Node.scalar(Node.Scalar("zzShape")), Node.scalar(Node.Scalar("1")))])) }
      return .scalar(Node.Scalar(value))
    case .misspellKey, .deleteKey:
      return node
    }
  }
}

