import Scenario
/// An interval chart as inline SVG: one row per policy, its mean as a dot and its 95% interval as a line
/// with end caps, on one value axis, with the written value beside each row, so it reads without colour
/// and without hovering. A row without a value says why (such as "never") instead.
struct SVGIntervalChart {
  struct Row {
    var label: String
    var colour: String
    /// In data units (the axis's); nil for a row without a value.
    var mean: Double?
    var low: Double?
    var high: Double?
    /// The value as written in the table, shown at the row's end and in its tooltip.
    var text: String
  }

  var id: String
  var title: String
  var summary: String
  var axis: ChartAxis
  var rows: [Row]
  var width: Double = 600

  /// Labels longer than this are shortened on the chart; the full label is in the row's tooltip.
  static let labelLimit = 20

  // Layout, in viewBox units.
  private var labelRight: Double { 142 }
  private var left: Double { 152 }
  private var right: Double { width - 18 }
  private var top: Double { 8 }
  private var rowHeight: Double { 40 }
  private var bottom: Double { top + Double(max(rows.count, 1)) * rowHeight }
  private var height: Double { bottom + 40 }

  private func px(_ value: Double) -> Double {
    left + min(max(axis.position(value), 0), 1) * (right - left)
  }

  func svg() -> String {
    let c = ReportNumberFormat.coordinate
    let e = HTMLText.escape
    var out = "<svg class=\"chart interval-chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(c(width)) \(c(height))\""
    out += " role=\"img\" aria-labelledby=\"\(id)-title \(id)-desc\">\n"
    out += "<title id=\"\(id)-title\">\(e(title))</title>\n<desc id=\"\(id)-desc\">\(e(summary))</desc>\n"

    // The value axis: grid, ticks and their labels under the rows.
    out += "<g class=\"axis x-axis\">"
    for (tick, label) in zip(axis.ticks, axis.labels) {
      let tx = c(px(tick))
      out += "<line class=\"grid\" x1=\"\(tx)\" x2=\"\(tx)\" y1=\"\(c(top))\" y2=\"\(c(bottom))\"/>"
      out += "<line class=\"tick\" x1=\"\(tx)\" x2=\"\(tx)\" y1=\"\(c(bottom))\" y2=\"\(c(bottom + 5))\"/>"
      out += "<text x=\"\(tx)\" y=\"\(c(bottom + 17))\" text-anchor=\"middle\">\(e(label))</text>"
    }
    out += "<line class=\"domain\" x1=\"\(c(left))\" x2=\"\(c(right))\" y1=\"\(c(bottom))\" y2=\"\(c(bottom))\"/>"
    out += "<text class=\"axis-title\" x=\"\(c((left + right) / 2))\" y=\"\(c(height - 6))\" text-anchor=\"middle\">\(e(axis.title))</text>"
    out += "</g>\n"

    for (index, row) in rows.enumerated() {
      let y = top + Double(index) * rowHeight + 15
      let label = row.label.count > Self.labelLimit ? String(row.label.prefix(Self.labelLimit - 1)) + "…" : row.label
      out += "<g class=\"interval\"><title>\(e(row.label)): \(e(row.text))</title>"
      out += "<text x=\"\(c(labelRight))\" y=\"\(c(y))\" dy=\"0.32em\" text-anchor=\"end\">\(e(label))</text>"
      if let mean = row.mean, mean.isFinite {
        let (low, high) = (row.low ?? mean, row.high ?? mean)
        let (x0, x1, xm) = (px(low), px(high), px(mean))
        out += "<line class=\"range\" x1=\"\(c(x0))\" x2=\"\(c(x1))\" y1=\"\(c(y))\" y2=\"\(c(y))\" stroke=\"\(row.colour)\" stroke-width=\"3\"/>"
        if row.low != nil {
          for x in [x0, x1] {
            out += "<line class=\"cap\" x1=\"\(c(x))\" x2=\"\(c(x))\" y1=\"\(c(y - 6))\" y2=\"\(c(y + 6))\" stroke=\"\(row.colour)\" stroke-width=\"2\"/>"
          }
        }
        out += "<circle cx=\"\(c(xm))\" cy=\"\(c(y))\" r=\"5\" fill=\"\(row.colour)\" stroke=\"#fff\" stroke-width=\"1\"/>"
        out += "<text class=\"value\" x=\"\(c(left))\" y=\"\(c(y + 16))\" dy=\"0.32em\">\(e(row.text))</text>"
      } else {
        out += "<text class=\"no-data\" x=\"\(c(left + 4))\" y=\"\(c(y))\" dy=\"0.32em\">\(e(row.text))</text>"
      }
      out += "</g>\n"
    }
    if rows.isEmpty {
      out += "<text class=\"no-data\" x=\"\(c((left + right) / 2))\" y=\"\(c((top + bottom) / 2))\" dy=\"0.32em\" text-anchor=\"middle\">no policies</text>\n"
    }
    out += "</svg>"
    return out
  }
}
