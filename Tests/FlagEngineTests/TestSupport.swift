import Foundation
import Testing

@testable import FlagEngine

/// Compiles a state written inline as JSON.
func compile(_ json: String) throws -> FlagState {
  FlagState(try StateDocument.decode(Data(json.utf8), source: "test").resolved())
}

/// A state with one feature `f` whose only strategy is `default` with `constraint` (JSON).
func constrained(_ constraint: String) throws -> FlagState {
  try compile(#"{"version":2,"features":[{"name":"f","enabled":true,"strategies":[{"name":"default","constraints":["# + constraint + "]}]}]}")
}

extension FlagState {
  func on(_ flag: String = "f", _ context: Context = Context()) -> Bool {
    var evaluation = EvaluationContext(context)
    return isEnabled(flag, in: &evaluation)
  }

  func variantName(_ flag: String, _ context: Context) -> String {
    var evaluation = EvaluationContext(context)
    return variant(flag, in: &evaluation).name
  }
}

/// A context with one property `p`.
func property(_ value: String?) -> Context {
  var context = Context()
  if let value { context.properties["p"] = value }
  return context
}

/// The Unleash client specification beside this repository (read from ../shared, never copied).
let specificationDirectory = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent().appendingPathComponent("shared/unleash-client-specification/specifications").path
