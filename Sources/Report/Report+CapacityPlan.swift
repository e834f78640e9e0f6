import Scenario
import Foundation

extension Report {
  /// The value of the `rollsim-report` meta tag on a capacity plan's page.
  static let capacityPlanKind = "capacity-plan"

  /// A capacity plan's page: what the plan has and nothing a policy run would show.
  ///
  /// Sections, in order: the figures (median, p99, peak), the charts over time, the storms, the servers
  /// (instances per tier and what saturates first), the cores,
  /// the fleet's make-up, and the sources.
  static func capacityPlanHTML(_ model: ReportModel, _ plan: ReportModel.CapacityPlan) -> String {
    let scenario = model.scenario
    var page = pageStart(title: "\(scenario.name) — rollsim capacity plan", kind: capacityPlanKind)
    page += capacityPlanHeader(model, plan)
    let links = [
      ("figures", "Figures"), ("load", "Over time"), ("storms", "Storms"), ("servers", "Servers"), ("cores", "Cores"),
      ("fleet", "The fleet"),
      ("sources", "Sources"),
    ]
    page += "<nav aria-label=\"Contents\"><ul>" + links.map { "<li><a href=\"#\($0.0)\">\($0.1)</a></li>" }.joined() + "</ul></nav>\n"
    page += section(id: "figures", title: "Figures: median, 99th percentile and peak", body: table(plan.figures))
    page += section(
      id: "load", title: "Over time",
      body: model.extraCharts.isEmpty ? "<p>The plan has no charts.</p>\n" : extraCharts(model))
    page += section(
      id: "storms", title: "Storms",
      body: plan.storms.isEmpty ? "<p>The scenario has no storms.</p>\n" : plan.storms.map(table).joined())
    page += section(
      id: "servers", title: "Servers: instances per tier, and what saturates first",
      body: plan.servers.isEmpty ? "<p>The plan sizes no servers.</p>\n" : plan.servers.map(table).joined())
    page += section(id: "cores", title: "Cores", body: table(plan.cores))
    page += section(id: "fleet", title: "The fleet", body: fleetMakeUp(model))
    page += section(id: "sources", title: "Sources", body: sources(model))
    page += pageEnd(
      scenario, writer: "rollsim capacity",
      sameness: "The same scenario, seed and cost per evaluation give this same page, byte for byte.")
    return page
  }

  static func capacityPlanHeader(_ model: ReportModel, _ plan: ReportModel.CapacityPlan) -> String {
    let scenario = model.scenario
    let e = HTMLText.escape
    var out = "<header>\n<h1>\(e(scenario.name)): capacity plan</h1>\n"
    let description = scenario.description.trimmingCharacters(in: .whitespacesAndNewlines)
    if !description.isEmpty { out += "<p class=\"lead\">\(e(description))</p>\n" }
    out += "<p>A capacity plan (rollsim capacity): the requests, evaluations, bandwidth and streaming connections "
    out += "the flag delivery path sees, the instances and cores they take, and what saturates first. No release policy is run; rollsim run compares policies.</p>\n"
    var facts: [ReportModel.Fact] = [
      .init("Devices", ReportNumberFormat.grouped(scenario.devices)),
      .init("Planned duration", ReportNumberFormat.duration(scenario.simulatedSeconds)),
      .init("Bin size", ReportNumberFormat.duration(plan.binSeconds)),
      .init("Seed", String(scenario.seed)),
    ]
    if !scenario.startTime.isEmpty {
      facts.insert(
        .init("Starts at", utcClock(start: scenario.startTime, plus: 0).map { $0 + " UTC" } ?? scenario.startTime), at: 2)
    }
    out += "<dl class=\"facts\">\n"
    for fact in facts + plan.facts {
      out += "<div><dt>\(e(fact.term))</dt><dd>\(e(fact.value))</dd></div>\n"
    }
    return out + "</dl>\n</header>\n"
  }

  /// A table whose first column heads the rows.
  static func table(_ table: ReportModel.Table) -> String {
    let e = HTMLText.escape
    var out = table.title.isEmpty ? "" : "<h3>\(e(table.title))</h3>\n"
    out += "<div class=\"table-scroll\">\n<table class=\"plan\">\n"
    if !table.caption.isEmpty { out += "<caption>\(e(table.caption))</caption>\n" }
    if !table.columns.isEmpty {
      out += "<thead><tr>" + table.columns.map { "<th scope=\"col\">\(e($0))</th>" }.joined() + "</tr></thead>\n"
    }
    out += "<tbody>\n"
    for row in table.rows {
      let cells = row + Array(repeating: "", count: max(0, table.columns.count - row.count))
      out += "<tr>"
      for (index, cell) in cells.enumerated() {
        if index == 0 {
          out += "<th scope=\"row\">\(e(cell))</th>"
        } else {
          out += table.numericColumns.contains(index) ? "<td class=\"num\">" : "<td>"
          out += e(cell) + "</td>"
        }
      }
      out += "</tr>\n"
    }
    return out + "</tbody>\n</table>\n</div>\n"
  }
}
