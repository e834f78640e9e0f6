import FlagEngine
import Foundation

/// A flat list of named figures, printed as aligned text or as one JSON object.
struct BenchReport {
  enum Value {
    case int(Int)
    case number(Double)
    case text(String)
  }

  let name: String
  let fields: [(String, Value)]

  var json: String {
    let body = fields.map { key, value in
      let rendered: String
      switch value {
      case .int(let int): rendered = String(int)
      case .number(let number): rendered = number.isFinite ? String(format: "%.6g", number) : "null"
      case .text(let text): rendered = JSONValue.quote(text)
      }
      return "\(JSONValue.quote(key)):\(rendered)"
    }
    return "{" + body.joined(separator: ",") + "}"
  }

  var text: String {
    let width = fields.map(\.0.count).max() ?? 0
    return fields.map { key, value in
      let rendered: String
      switch value {
      case .int(let int): rendered = String(int)
      case .number(let number): rendered = String(format: "%.4g", number)
      case .text(let text): rendered = text
      }
      return "\(name) \(key.padding(toLength: width, withPad: " ", startingAt: 0))  \(rendered)"
    }.joined(separator: "\n")
  }
}
