import Scenario
/// A line chart as inline SVG: axes with round ticks, any number of lines, horizontal reference lines, and
/// markers (decisions) either on the lines or in a strip above the plot, each with a `<title>` tooltip.
///
/// A chart whose lines are all zero says so (`emptyNote`) instead of drawing flat lines. A line with
/// `band` and more points than the plot has pixel columns is drawn as a band, lowest to highest in each
/// column, with its mean as the line: a fast oscillation (a herd polling every 30 s over hours) shows as
/// the range it covers instead of a zigzag that aliases.
///
/// The SVG carries a `<title>` and a `<desc>` for screen readers, scales to its container through its
/// `viewBox`, and uses only ids derived from `id`, so the same chart always gives the same bytes.
struct SVGLineChart {
  struct Line {
    var label: String
    var colour: String
    /// An SVG `stroke-dasharray`, empty for a solid line.
    var dash: String = ""
    var width: Double = 2
    /// In data units. Non-finite `y` values break the line.
    var points: [(x: Double, y: Double)]
    /// Drawn as a band (lowest to highest per pixel column) and its mean when too long for the plot.
    var band = false
    /// A dot on every point, for lines through a few means (a sweep's arrival bins).
    var dots = false
  }

  struct Marker {
    var x: Double
    /// On the plot at this value, or in the strip above the plot when `nil`.
    var y: Double?
    var shape: MarkerShape
    var colour: String
    var tooltip: String
    /// Draws a vertical line through the plot at `x`.
    var rule: Bool
  }

  struct Reference {
    var y: Double
    var label: String
  }

  /// Prefix of the ids of the chart's title and description.
  var id: String
  var title: String
  var summary: String
  var x: ChartAxis
  var y: ChartAxis
  var lines: [Line] = []
  var markers: [Marker] = []
  var references: [Reference] = []
  /// Said in the plot, instead of drawing the lines, when every value is zero: `no devices failed`.
  var emptyNote: String?
  var width: Double = 600
  var height: Double = 250

  // Layout, in viewBox units.
  private var left: Double { 58 }
  private var right: Double { width - 18 }
  private var hasStrip: Bool { markers.contains { $0.y == nil } }
  private var stripY: Double { 27 }
  private var top: Double { hasStrip ? 38 : 22 }
  private var bottom: Double { height - 40 }

  private func px(_ value: Double) -> Double {
    left + min(max(x.position(value), 0), 1) * (right - left)
  }

  private func py(_ value: Double) -> Double {
    bottom - min(max(y.position(value), 0), 1) * (bottom - top)
  }

  /// Whether some line has a finite point.
  var hasData: Bool { lines.contains { line in line.points.contains { $0.x.isFinite && $0.y.isFinite } } }

  /// Whether the chart says `emptyNote` instead of drawing its lines: it has data, all of it zero.
  var isEmpty: Bool {
    emptyNote != nil && hasData && !lines.contains { line in line.points.contains { $0.x.isFinite && $0.y.isFinite && $0.y != 0 } }
  }

  /// The simulated time (x units) one pixel column of the plot covers: a band's bucket.
  var columnSpan: Double { (x.upper - x.lower) / (right - left) }

  /// Whether `line` is drawn as a band.
  func isBand(_ line: Line) -> Bool { line.band && line.points.count > Int(right - left) * 2 }

  func svg() -> String {
    let c = ReportNumberFormat.coordinate
    let e = HTMLText.escape
    let empty = isEmpty
    var out = "<svg class=\"chart line-chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(c(width)) \(c(height))\""
    if empty { out += " data-empty=\"true\"" }
    out += " role=\"img\" aria-labelledby=\"\(id)-title \(id)-desc\">\n"
    out += "<title id=\"\(id)-title\">\(e(title))</title>\n<desc id=\"\(id)-desc\">\(e(empty ? summary + " " + (emptyNote ?? "") + "." : summary))</desc>\n"

    // Grid and y axis (only its zero when there is nothing to draw).
    out += "<g class=\"axis y-axis\">"
    out += "<text class=\"axis-title\" x=\"\(c(left))\" y=\"12\">\(e(y.title))</text>"
    for (tick, label) in zip(y.ticks, y.labels).prefix(empty ? 1 : y.ticks.count) {
      let ty = c(py(tick))
      out += "<line class=\"grid\" x1=\"\(c(left))\" x2=\"\(c(right))\" y1=\"\(ty)\" y2=\"\(ty)\"/>"
      out += "<text x=\"\(c(left - 6))\" y=\"\(ty)\" dy=\"0.32em\" text-anchor=\"end\">\(e(label))</text>"
    }
    out += "</g>\n"

    // x axis.
    out += "<g class=\"axis x-axis\">"
    out += "<line class=\"domain\" x1=\"\(c(left))\" x2=\"\(c(right))\" y1=\"\(c(bottom))\" y2=\"\(c(bottom))\"/>"
    out += "<line class=\"domain\" x1=\"\(c(left))\" x2=\"\(c(left))\" y1=\"\(c(top))\" y2=\"\(c(bottom))\"/>"
    for (tick, label) in zip(x.ticks, x.labels) {
      let tx = c(px(tick))
      out += "<line class=\"tick\" x1=\"\(tx)\" x2=\"\(tx)\" y1=\"\(c(bottom))\" y2=\"\(c(bottom + 5))\"/>"
      out += "<text x=\"\(tx)\" y=\"\(c(bottom + 17))\" text-anchor=\"middle\">\(e(label))</text>"
    }
    out += "<text class=\"axis-title\" x=\"\(c((left + right) / 2))\" y=\"\(c(height - 6))\" text-anchor=\"middle\">\(e(x.title))</text>"
    out += "</g>\n"

    for reference in references where reference.y.isFinite {
      let ry = c(py(reference.y))
      out += "<g class=\"reference\"><title>\(e(reference.label))</title>"
      out += "<line x1=\"\(c(left))\" x2=\"\(c(right))\" y1=\"\(ry)\" y2=\"\(ry)\"/>"
      out += "<text x=\"\(c(right - 4))\" y=\"\(ry)\" dy=\"-0.35em\" text-anchor=\"end\">\(e(reference.label))</text></g>\n"
    }

    // Decision rules under the lines, so the lines stay readable.
    let ruled = markers.filter(\.rule)
    if !ruled.isEmpty {
      out += "<g class=\"rules\" aria-hidden=\"true\">"
      for marker in ruled {
        let mx = c(px(marker.x))
        out += "<line x1=\"\(mx)\" x2=\"\(mx)\" y1=\"\(c(top))\" y2=\"\(c(bottom))\" stroke=\"\(marker.colour)\"/>"
      }
      out += "</g>\n"
    }

    if !empty {
      for line in lines {
        out += isBand(line) ? band(for: line) : path(for: line)
      }
    }
    if !hasData || empty {
      let note = hasData ? emptyNote ?? "" : "no data"
      out += "<text class=\"no-data\" x=\"\(c((left + right) / 2))\" y=\"\(c((top + bottom) / 2))\" text-anchor=\"middle\">\(e(note))</text>\n"
    }

    if !markers.isEmpty {
      // Symbols in the strip that would overlap shift right; their vertical lines stay at the exact time.
      var stripX: [Double] = []
      var lastPlaced = -Double.infinity
      for marker in markers where marker.y == nil {
        let placed = max(px(marker.x), lastPlaced + 11)
        stripX.append(placed)
        lastPlaced = placed
      }
      if let last = stripX.last, last > right + 6 {
        // Too many to spread: exact positions, overlapping.
        stripX = markers.filter { $0.y == nil }.map { px($0.x) }
      }
      var stripIndex = 0
      out += "<g class=\"markers\">\n"
      for marker in markers {
        var mx = px(marker.x)
        if marker.y == nil {
          mx = stripX[stripIndex]
          stripIndex += 1
        }
        let my = marker.y.map(py) ?? stripY
        out += "<g class=\"marker\"><title>\(e(marker.tooltip))</title>"
        out += marker.shape.svg(x: mx, y: my, colour: marker.colour)
        out += "</g>\n"
      }
      out += "</g>\n"
    }
    out += "</svg>"
    return out
  }

  /// One line as a path, thinned to a few points per pixel column when it is long; isolated points are
  /// drawn as dots so that a single sample still shows.
  private func path(for line: Line) -> String {
    let c = ReportNumberFormat.coordinate
    var segments: [[(Double, Double)]] = [[]]
    for point in line.points {
      if point.x.isFinite && point.y.isFinite {
        segments[segments.count - 1].append((px(point.x), py(point.y)))
      } else if !segments[segments.count - 1].isEmpty {
        segments.append([])
      }
    }
    segments = segments.filter { !$0.isEmpty }.map(thinned)
    guard !segments.isEmpty else { return "" }
    var d = ""
    var dots: [(Double, Double)] = []
    for segment in segments {
      if segment.count == 1 || line.dots { dots.append(contentsOf: segment) }
      if segment.count == 1 { continue }
      for (index, point) in segment.enumerated() {
        d += (index == 0 ? (d.isEmpty ? "M" : " M") : "L") + c(point.0) + " " + c(point.1)
      }
    }
    var out = "<g class=\"series\"\(peak(line))><title>\(HTMLText.escape(line.label))</title>"
    if !d.isEmpty {
      out += "<path d=\"\(d)\" fill=\"none\" stroke=\"\(line.colour)\" stroke-width=\"\(c(line.width))\""
      if !line.dash.isEmpty { out += " stroke-dasharray=\"\(line.dash)\"" }
      out += " stroke-linejoin=\"round\"/>"
    }
    for dot in dots {
      out += "<circle cx=\"\(c(dot.0))\" cy=\"\(c(dot.1))\" r=\"3\" fill=\"\(line.colour)\"/>"
    }
    return out + "</g>\n"
  }

  /// The line's largest value as a `data-peak` attribute, for checks of the rendered page.
  private func peak(_ line: Line) -> String {
    guard let peak = line.points.map(\.y).filter(\.isFinite).max() else { return "" }
    return " data-peak=\"\(ReportNumberFormat.trimmed(peak, maxDecimals: 9))\""
  }

  /// One line as a band: per pixel column, a shape from its lowest to its highest value, and a line
  /// through the means of five columns around each (one column's mean would still alias a swing whose
  /// period is near a column's span). Non-finite values break both.
  private func band(for line: Line) -> String {
    let c = ReportNumberFormat.coordinate
    struct Column {
      var x: Double
      var low: Double
      var high: Double
      var sum: Double
      var count: Double
    }
    var runs: [[Column]] = [[]]
    for point in line.points {
      guard point.x.isFinite && point.y.isFinite else {
        if !runs[runs.count - 1].isEmpty { runs.append([]) }
        continue
      }
      let column = px(point.x).rounded(.down)
      if var last = runs[runs.count - 1].last, last.x == column {
        last.low = min(last.low, point.y)
        last.high = max(last.high, point.y)
        last.sum += point.y
        last.count += 1
        runs[runs.count - 1][runs[runs.count - 1].count - 1] = last
      } else {
        runs[runs.count - 1].append(Column(x: column, low: point.y, high: point.y, sum: point.y, count: 1))
      }
    }
    var area = ""
    var mean = ""
    for run in runs where !run.isEmpty {
      // A lone column still gets a width, so its range shows.
      let edges = run.count == 1 ? [run[0], Column(x: run[0].x + 1, low: run[0].low, high: run[0].high, sum: run[0].sum, count: run[0].count)] : run
      area += (area.isEmpty ? "M" : " M") + edges.map { c($0.x + 0.5) + " " + c(py($0.high)) }.joined(separator: "L")
      area += "L" + edges.reversed().map { c($0.x + 0.5) + " " + c(py($0.low)) }.joined(separator: "L") + "Z"
      let means = edges.indices.map { index in
        let around = edges[max(0, index - 2)...min(edges.count - 1, index + 2)]
        return around.reduce(0) { $0 + $1.sum } / around.reduce(0) { $0 + $1.count }
      }
      mean += (mean.isEmpty ? "M" : " M") + zip(edges, means).map { c($0.x + 0.5) + " " + c(py($1)) }.joined(separator: "L")
    }
    var out = "<g class=\"series band\"\(peak(line))><title>\(HTMLText.escape(line.label)): lowest to highest in each pixel column, and the mean</title>"
    // A thin outline keeps a one-column spike visible.
    out += "<path class=\"range\" d=\"\(area)\" fill=\"\(line.colour)\" fill-opacity=\"0.3\" stroke=\"\(line.colour)\" stroke-opacity=\"0.5\" stroke-width=\"0.6\" stroke-linejoin=\"round\"/>"
    out += "<path d=\"\(mean)\" fill=\"none\" stroke=\"\(line.colour)\" stroke-width=\"\(c(line.width * 0.75))\""
    if !line.dash.isEmpty { out += " stroke-dasharray=\"\(line.dash)\"" }
    return out + " stroke-linejoin=\"round\"/></g>\n"
  }

  /// Keeps the first, lowest, highest and last point of each pixel column once a line has more points than
  /// the chart has room for: the shape stays, the size does not grow with the run's length.
  private func thinned(_ points: [(Double, Double)]) -> [(Double, Double)] {
    guard points.count > Int(right - left) * 3 else { return points }
    var out: [(Double, Double)] = []
    var start = 0
    while start < points.count {
      let column = points[start].0.rounded(.down)
      var end = start
      var lowest = start
      var highest = start
      while end < points.count && points[end].0.rounded(.down) == column {
        if points[end].1 < points[lowest].1 { lowest = end }
        if points[end].1 > points[highest].1 { highest = end }
        end += 1
      }
      for index in Set([start, lowest, highest, end - 1]).sorted() { out.append(points[index]) }
      start = end
    }
    return out
  }
}

/// The symbol of a decision, so that the kind of decision reads without colour.
enum MarkerShape: Equatable {
  case triangleUp, triangleDown, square, diamond, circle, ring, cross, plus, dot

  func svg(x: Double, y: Double, colour: String) -> String {
    let c = ReportNumberFormat.coordinate
    func poly(_ points: [(Double, Double)]) -> String {
      "<path d=\"M" + points.map { c(x + $0.0) + " " + c(y + $0.1) }.joined(separator: "L")
        + "Z\" fill=\"\(colour)\" stroke=\"#fff\" stroke-width=\"1\"/>"
    }
    switch self {
    case .triangleUp: return poly([(0, -6), (6, 5), (-6, 5)])
    case .triangleDown: return poly([(0, 6), (6, -5), (-6, -5)])
    case .square: return poly([(-5, -5), (5, -5), (5, 5), (-5, 5)])
    case .diamond: return poly([(0, -6.5), (6.5, 0), (0, 6.5), (-6.5, 0)])
    case .circle:
      return "<circle cx=\"\(c(x))\" cy=\"\(c(y))\" r=\"5\" fill=\"\(colour)\" stroke=\"#fff\" stroke-width=\"1\"/>"
    case .ring:
      return "<circle cx=\"\(c(x))\" cy=\"\(c(y))\" r=\"4.5\" fill=\"#fff\" stroke=\"\(colour)\" stroke-width=\"2\"/>"
    case .cross:
      return "<path d=\"M\(c(x - 5)) \(c(y - 5))L\(c(x + 5)) \(c(y + 5))M\(c(x - 5)) \(c(y + 5))L\(c(x + 5)) \(c(y - 5))\" stroke=\"\(colour)\" stroke-width=\"3\" stroke-linecap=\"round\"/>"
    case .plus:
      return "<path d=\"M\(c(x - 6)) \(c(y))L\(c(x + 6)) \(c(y))M\(c(x)) \(c(y - 6))L\(c(x)) \(c(y + 6))\" stroke=\"\(colour)\" stroke-width=\"3\" stroke-linecap=\"round\"/>"
    case .dot:
      return "<circle cx=\"\(c(x))\" cy=\"\(c(y))\" r=\"2.5\" fill=\"\(colour)\"/>"
    }
  }
}
