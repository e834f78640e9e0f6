import Scenario
/// A horizontal bar chart as inline SVG: one labelled bar per row, each followed by its count and share,
/// so it reads without colour and without hovering.
struct SVGBarChart {
  struct Bar {
    var label: String
    var value: Int
  }

  var id: String
  var title: String
  var bars: [Bar]
  var colour: String = "#0072B2"
  var width: Double = 460

  /// Labels longer than this are shortened on the chart; the full label is in the bar's tooltip.
  static let labelLimit = 24

  func svg() -> String {
    let c = ReportNumberFormat.coordinate
    let e = HTMLText.escape
    let total = bars.reduce(0) { $0 &+ max($1.value, 0) }
    let largest = bars.map(\.value).max() ?? 0
    let rowHeight = 22.0
    let top = 6.0
    let height = top + Double(max(bars.count, 1)) * rowHeight + 6
    let labelRight = 168.0
    let barLeft = labelRight + 8
    let barRoom = width - barLeft - 132

    let described = bars.map { "\($0.label): \(ReportNumberFormat.grouped($0.value)) (\(ReportNumberFormat.share($0.value, of: total)))" }
    let summary = bars.isEmpty ? "No devices." : described.joined(separator: "; ") + "."
    var out = "<svg class=\"chart bar-chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(c(width)) \(c(height))\""
    out += " role=\"img\" aria-labelledby=\"\(id)-title \(id)-desc\">\n"
    out += "<title id=\"\(id)-title\">\(e(title))</title>\n<desc id=\"\(id)-desc\">\(e(summary))</desc>\n"
    if bars.isEmpty {
      out += "<text class=\"no-data\" x=\"\(c(width / 2))\" y=\"\(c(height / 2))\" dy=\"0.32em\" text-anchor=\"middle\">no devices</text>\n"
    }
    for (index, bar) in bars.enumerated() {
      let rowY = top + Double(index) * rowHeight
      let middle = c(rowY + rowHeight / 2)
      let length = largest > 0 ? Double(max(bar.value, 0)) / Double(largest) * barRoom : 0
      let label = bar.label.count > Self.labelLimit ? String(bar.label.prefix(Self.labelLimit - 1)) + "…" : bar.label
      out += "<g class=\"bar\"><title>\(e(described[index]))</title>"
      out += "<text x=\"\(c(labelRight))\" y=\"\(middle)\" dy=\"0.32em\" text-anchor=\"end\">\(e(label))</text>"
      out += "<rect x=\"\(c(barLeft))\" y=\"\(c(rowY + 4))\" width=\"\(c(max(length, bar.value > 0 ? 1 : 0)))\" height=\"\(c(rowHeight - 8))\" fill=\"\(colour)\"/>"
      out += "<text class=\"value\" x=\"\(c(barLeft + length + 6))\" y=\"\(middle)\" dy=\"0.32em\">"
      out += "\(ReportNumberFormat.grouped(bar.value)) (\(ReportNumberFormat.share(bar.value, of: total)))</text></g>\n"
    }
    out += "</svg>"
    return out
  }
}
