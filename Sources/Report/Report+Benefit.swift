import Scenario

extension Report {
  /// Where the benefit over big-bang comes from: a table of the two steps, humans to automation and
  /// automation to staging, each with the failed device-hours before and after, what it saved, and that as a
  /// share of big-bang's harm (so the steps add up to the whole). On a sweep's page the savings are means
  /// over the seeds with the 95% interval of the paired savings.
  static func benefitSplit(_ split: ReportModel.BenefitSplit) -> String {
    let e = HTMLText.escape
    let F = ReportNumberFormat.self
    let sweep = split.seeds > 1
    var out = "<div class=\"benefit\" id=\"benefit\">\n<h3>Where the benefit comes from</h3>\n"
    out += "<p>Big-bang releases everything at once and waits for humans: alerts page on-call, who act after their "
    out += "response time. <code>big-bang-guarded</code> releases the same way, everything at once, but watched by the same "
    out += "automatic guards as the guarded plan. The first step is what automation gives; the second, from "
    out += "<code>big-bang-guarded</code> to the best staged policy, is what staging gives on top.</p>\n"
    out += "<div class=\"table-scroll\">\n<table class=\"benefit\">\n"
    out += "<caption>Failed device-hours\(sweep ? ", mean over \(split.seeds) seeds" : ""). Saved: the first policy’s less the second’s"
    out += sweep ? ", seed by seed (95% interval of the paired savings)." : "."
    out += " Share: of big-bang’s failed device-hours; a negative share is harm the step added.</caption>\n"
    out += "<thead><tr><th scope=\"col\">Step</th><th scope=\"col\">Policies</th><th scope=\"col\">Failed device-hours</th>"
    out += "<th scope=\"col\">Saved</th><th scope=\"col\">Share of big-bang’s harm</th></tr></thead>\n<tbody>\n"
    func share(_ saved: Double) -> String {
      split.bigBangHours > 0 ? F.percent(saved / split.bigBangHours) : "–"
    }
    for step in split.steps {
      var saved = F.quantity(step.saved)
      if let low = step.savedLow, let high = step.savedHigh { saved += " (\(F.quantity(low)) to \(F.quantity(high)))" }
      out += "<tr><th scope=\"row\">\(e(step.title))</th><td>\(e(step.from)) → \(e(step.to))</td>"
      out += "<td class=\"num\">\(e(F.quantity(step.fromHours))) → \(e(F.quantity(step.toHours)))</td>"
      out += "<td class=\"num\">\(e(saved))</td><td class=\"num\">\(e(share(step.saved)))</td></tr>\n"
    }
    if split.steps.count > 1, let first = split.steps.first, let last = split.steps.last {
      let saved = first.fromHours - last.toHours
      out += "<tr class=\"together\"><th scope=\"row\">Together</th><td>\(e(first.from)) → \(e(last.to))</td>"
      out += "<td class=\"num\">\(e(F.quantity(first.fromHours))) → \(e(F.quantity(last.toHours)))</td>"
      out += "<td class=\"num\">\(e(F.quantity(saved)))</td><td class=\"num\">\(e(share(saved)))</td></tr>\n"
    }
    out += "</tbody>\n</table>\n</div>\n"
    if split.steps.count == 1 { out += "<p>The scenario has no staged policy: staging is not compared.</p>\n" }
    return out + "</div>\n"
  }

  /// The arrival section of a sweep's page: failed device-hours against when the faults arrived, one line per
  /// policy through the bins' means, and a mark where each staged policy reached everyone; or why there is none.
  static func arrivalSection(_ sweep: ReportModel.Sweep) -> String {
    guard let arrivals = sweep.arrivals else {
      return "<p class=\"no-arrivals\">Every seed met the faults at the same time (their <code>from</code> is a fixed "
        + "duration, or the shards do not record arrivals), so there is no arrival to plot: give a fault a distribution, "
        + "<code>from: {min: 0s, max: 14d}</code>, to see where in its life each policy loses.</p>\n"
    }
    let e = HTMLText.escape
    let F = ReportNumberFormat.self
    var out = "<p>Each seed draws when the faults arrive (the earliest fault’s arrival here). The seeds are grouped by arrival, "
    out += "\(arrivals.bins.count) bins of \(F.duration(arrivals.bins[0].upper - arrivals.bins[0].lower)); each point is the mean "
    out += "failed device-hours of a bin’s seeds. A diamond above the plot marks when a staged policy reached everyone "
    out += "(the median over the seeds): arrivals to its right meet it at its widest.</p>\n"
    var axis = ChartAxis.time(fromSeconds: arrivals.bins[0].lower, toSeconds: arrivals.bins[arrivals.bins.count - 1].upper)
    axis.title = "fault arrival, " + axis.title
    let centres = arrivals.bins.map { ($0.lower + $0.upper) / 2 }
    var lines: [SVGLineChart.Line] = []
    var markers: [SVGLineChart.Marker] = []
    var peaks: [Double] = []
    var described: [String] = []
    for (index, policy) in sweep.policies.enumerated() {
      let look = policyLook(index)
      let means = index < arrivals.means.count ? arrivals.means[index] : []
      var line = SVGLineChart.Line(label: policy, colour: look.colour, dash: look.dash, points: Array(zip(centres, means)).map { (x: $0.0, y: $0.1) })
      line.dots = true
      lines.append(line)
      peaks.append(means.filter(\.isFinite).max() ?? 0)
      described.append(
        "\(policy): " + zip(arrivals.bins, means).map { bin, mean in "\(F.duration(bin.lower)) to \(F.duration(bin.upper)) \(mean.isFinite ? F.quantity(mean) : "no seed")" }
          .joined(separator: ", "))
      if index < arrivals.reachedEveryone.count, let reached = arrivals.reachedEveryone[index], reached >= axis.lower, reached <= axis.upper {
        markers.append(
          SVGLineChart.Marker(
            x: reached, y: nil, shape: .diamond, colour: look.colour,
            tooltip: "\(policy) reached everyone at \(F.duration(reached)) (median over the seeds)", rule: true))
      }
    }
    let chart = SVGLineChart(
      id: "sweep-arrivals", title: "Failed device-hours by fault arrival, one line per policy",
      summary: "Mean failed device-hours of the seeds in each arrival bin. " + described.joined(separator: "; ") + ".",
      x: axis, y: comparisonAxis(title: "failed device-hours (mean of the bin's seeds)", peaks: peaks, style: .count), lines: lines,
      markers: markers, emptyNote: "no device failed at any arrival")
    let seeds = arrivals.bins.map { "\(F.duration($0.lower))–\(F.duration($0.upper)): \($0.seeds)" }.joined(separator: ", ")
    let legend =
      lineLegend(sweep.policies.enumerated().map { ($0.element, policyLook($0.offset).colour, policyLook($0.offset).dash) })
      + "<p class=\"policy-meta\">Seeds per bin: \(e(seeds)).</p>\n"
    out += "<div class=\"charts\">\n" + figure("Failed device-hours by when the faults arrived", chart: chart.svg(), legend: legend) + "</div>\n"
    return out
  }
}
