import Scenario
import Foundation
import Rollout

/// Writes `report.html`: one self-contained page comparing what each release policy did to the fleet.
///
/// The page needs no network and no JavaScript: CSS is inline, charts are inline SVG with `<title>` and
/// `<desc>`, decision markers carry their reason as a tooltip, and the outcome table marks the best value of
/// each row with a tag as well as a shade. The same model always gives the same bytes: no timestamps, no
/// random ids, locale-independent numbers, and every list in the order of the model.
///
/// Sections, in order: the scenario's facts, the outcome table (and, with policies named `big-bang` and
/// `big-bang-guarded`, where the benefit comes from: automation, then staging), each policy's blind phases, exposure / failures / devices down over time
/// for all policies together, one section per policy (its exposure, failures and error rates with every
/// decision marked, and its decision log), extra charts, the fleet's make-up, and the sources. A capacity
/// plan (`ReportModel.capacityPlan`) gets its own page instead, without any of the policy sections.
///
/// Complexity: linear in the number of windows and decisions; long series are thinned to a few points per
/// pixel column, so the page's size does not grow with the run's length.
public enum Report {
  /// The whole page.
  public static func html(_ model: ReportModel) -> String {
    if let plan = model.capacityPlan { return capacityPlanHTML(model, plan) }
    let scenario = model.scenario
    var page = pageStart(title: "\(scenario.name) — rollsim report")
    page += header(model)
    page += navigation(model)
    page += section(
      id: "outcomes", title: "Outcomes side by side",
      body: outcomeTable(model) + (ReportModel.BenefitSplit(model.policies).map(benefitSplit) ?? ""))
    page += section(id: "blind", title: "Where each policy was blind", body: blindPhases(model))
    page += section(id: "over-time", title: "Exposure and failures over time", body: overviewCharts(model))
    page += section(id: "policies", title: "Each policy", body: policySections(model))
    if !model.extraCharts.isEmpty {
      page += section(id: "more-charts", title: "More charts", body: extraCharts(model))
    }
    page += section(id: "fleet", title: "The fleet", body: fleetMakeUp(model))
    page += section(id: "sources", title: "Sources", body: sources(model))
    page += pageEnd(
      scenario, writer: "rollsim", sameness: "The same scenario and seed give this same page, byte for byte.")
    return page
  }

  // MARK: Page parts

  /// The footer, which says what wrote the page and from what, and the end of the page.
  static func pageEnd(_ scenario: ReportModel.ScenarioSummary, writer: String, sameness: String) -> String {
    let e = HTMLText.escape
    return """
      <footer>
      <p>Written by \(writer) from scenario “\(e(scenario.name))”, seed \(scenario.seed). \(sameness)
      Times are simulated time since the start\(startClause(scenario)).</p>
      </footer>
      </main>
      </body>
      </html>

      """
  }

  /// The page up to `<main>`. `kind` names a page other than a run's in a `rollsim-report` meta tag, so
  /// that tools (scripts/check-report.sh) can tell the pages apart; a run's page has none.
  static func pageStart(title: String, kind: String? = nil) -> String {
    let e = HTMLText.escape
    let kindTag = kind.map { "<meta name=\"rollsim-report\" content=\"\(e($0))\">\n" } ?? ""
    return """
      <!DOCTYPE html>
      <html lang="en">
      <head>
      <meta charset="utf-8">
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <meta name="generator" content="rollsim">
      \(kindTag)<title>\(e(title))</title>
      <link rel="icon" href="data:,">
      <style>
      \(ReportStyle.css)
      </style>
      </head>
      <body>
      <main>

      """
  }

  static func section(id: String, title: String, body: String) -> String {
    "<section id=\"\(id)\">\n<h2>\(HTMLText.escape(title))</h2>\n\(body)</section>\n"
  }

  static func header(_ model: ReportModel) -> String {
    let scenario = model.scenario
    let e = HTMLText.escape
    var out = "<header>\n<h1>\(e(scenario.name))</h1>\n"
    if !scenario.description.isEmpty {
      out += "<p class=\"lead\">\(e(scenario.description.trimmingCharacters(in: .whitespacesAndNewlines)))</p>\n"
    }
    var facts: [(String, String)] = [
      ("Devices", ReportNumberFormat.grouped(scenario.devices)),
      ("Simulated time", ReportNumberFormat.duration(scenario.simulatedSeconds)),
      ("Telemetry window", ReportNumberFormat.duration(scenario.windowSeconds)),
      ("Policies compared", String(model.policies.count)),
      ("Seed", String(scenario.seed)),
    ]
    if !scenario.startTime.isEmpty {
      facts.insert(("Starts at", utcClock(start: scenario.startTime, plus: 0).map { $0 + " UTC" } ?? scenario.startTime), at: 2)
    }
    out += "<dl class=\"facts\">\n"
    for (term, value) in facts {
      out += "<div><dt>\(e(term))</dt><dd>\(e(value))</dd></div>\n"
    }
    out += "</dl>\n</header>\n"
    return out
  }

  static func navigation(_ model: ReportModel) -> String {
    var links = [("outcomes", "Outcomes"), ("blind", "Blind phases"), ("over-time", "Over time"), ("policies", "Each policy")]
    if !model.extraCharts.isEmpty { links.append(("more-charts", "More charts")) }
    links += [("fleet", "The fleet"), ("sources", "Sources")]
    return "<nav aria-label=\"Contents\"><ul>"
      + links.map { "<li><a href=\"#\($0.0)\">\($0.1)</a></li>" }.joined() + "</ul></nav>\n"
  }

  /// Each policy's blind phases: when devices had the flag and none of its rules could have seen a
  /// regression (no gate with a control, a before or a threshold to compare with, no safeguard or alert
  /// with data).
  static func blindPhases(_ model: ReportModel) -> String {
    let e = HTMLText.escape
    var out = "<p>When devices had the flag and none of the policy's rules could have seen a regression.</p>\n"
    out += "<table class=\"blind\">\n<thead><tr><th scope=\"col\">policy</th><th scope=\"col\">blind</th><th scope=\"col\">phases</th></tr></thead>\n<tbody>\n"
    for policy in model.policies {
      let total = policy.blindPhases.reduce(0) { $0 + $1.until - $1.from }
      let phases =
        policy.blindPhases.isEmpty
        ? "none"
        : policy.blindPhases.map {
          "\(e($0.phase)): \(ReadableText.clock(seconds: $0.from)) to \(ReadableText.clock(seconds: $0.until))"
        }.joined(separator: "<br>")
      out += "<tr><th scope=\"row\">\(e(policy.name))</th><td>\(total == 0 ? "never" : ReadableText.duration(seconds: total))</td><td>\(phases)</td></tr>\n"
    }
    return out + "</tbody>\n</table>\n"
  }

  static func sources(_ model: ReportModel) -> String {
    guard !model.scenario.sources.isEmpty else { return "<p>The scenario names no sources.</p>\n" }
    var out = "<ol class=\"sources\">\n"
    for source in model.scenario.sources {
      out += "<li>\(HTMLText.linkified(source))</li>\n"
    }
    return out + "</ol>\n"
  }

  static func startClause(_ scenario: ReportModel.ScenarioSummary) -> String {
    scenario.startTime.isEmpty ? "" : ", which is " + HTMLText.escape(scenario.startTime)
  }

  // MARK: Shared helpers

  /// The policy's colour and dash, by its position in the model.
  static func policyLook(_ index: Int) -> (colour: String, dash: String) {
    (ReportStyle.policyColour(index), ReportStyle.policyDash(index))
  }

  /// A short line sample for legends and table headers, hidden from screen readers (the text says it).
  static func swatch(colour: String, dash: String) -> String {
    var out = "<svg width=\"28\" height=\"10\" viewBox=\"0 0 28 10\" aria-hidden=\"true\" focusable=\"false\">"
    out += "<line x1=\"1\" x2=\"27\" y1=\"5\" y2=\"5\" stroke=\"\(colour)\" stroke-width=\"2.5\""
    if !dash.isEmpty { out += " stroke-dasharray=\"\(dash)\"" }
    return out + "/></svg>"
  }

  /// A decision symbol for legends.
  static func symbol(_ shape: MarkerShape, colour: String) -> String {
    "<svg width=\"16\" height=\"16\" viewBox=\"0 0 16 16\" aria-hidden=\"true\" focusable=\"false\">"
      + shape.svg(x: 8, y: 8, colour: colour) + "</svg>"
  }

  /// The UTC clock time `seconds` after the scenario's start, when the start parses as ISO 8601; to the
  /// nearest second, like the time since the start beside it.
  static func utcClock(start: String, plus seconds: Double) -> String? {
    guard let epoch = epochSeconds(iso8601: start), seconds.isFinite else { return nil }
    let total = Int((epoch + seconds).rounded())
    let (days, secondsOfDay) = (total.floorDivided(by: 86_400), total.floorModulo(86_400))
    let (year, month, day) = civilDate(daysSinceEpoch: days)
    let pad = ReportNumberFormat.pad
    return "\(year)-\(pad(month))-\(pad(day)) \(pad(secondsOfDay / 3600)):\(pad(secondsOfDay % 3600 / 60)):\(pad(secondsOfDay % 60))"
  }

  static func epochSeconds(iso8601 text: String) -> Double? {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    guard !trimmed.isEmpty else { return nil }
    for options: ISO8601DateFormatter.Options in [[.withInternetDateTime], [.withInternetDateTime, .withFractionalSeconds]] {
      let formatter = ISO8601DateFormatter()
      formatter.formatOptions = options
      if let date = formatter.date(from: trimmed) { return date.timeIntervalSince1970 }
    }
    return nil
  }

  /// Gregorian date of a day count since 1970-01-01 (Howard Hinnant's `civil_from_days`).
  static func civilDate(daysSinceEpoch days: Int) -> (Int, Int, Int) {
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let day = doy - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
  }
}

extension Int {
  fileprivate func floorDivided(by divisor: Int) -> Int {
    let (q, r) = quotientAndRemainder(dividingBy: divisor)
    return r < 0 ? q - 1 : q
  }

  fileprivate func floorModulo(_ divisor: Int) -> Int {
    let r = self % divisor
    return r < 0 ? r + divisor : r
  }
}
