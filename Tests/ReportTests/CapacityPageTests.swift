import Delivery
import Foundation
import Report
import Testing

@testable import Capacity
@testable import Scenario

@Suite struct CapacityPageTests {
  static let text = capacityScenario(
    devices: 20_000,
    sync: "- {model: polling, share: 0.4, interval: 15s, jitter: 0.1}\n- {model: streaming, share: 0.3}\n- {model: edge, share: 0.3, interval: 30s, refresh: 60s, edgesPerRegion: 2}",
    capacity: """
      frontend: {share: 0.2}
      storms:
        - {kind: apiOutage, from: 20m, until: 30m}
        - {kind: edgeRestart, at: 50m, down: 20s, retry: {jitter: false}}
        - {kind: stateChange, at: 70m}
      """)

  /// Same scenario and seed, same page.
  @Test func sameSeedSamePage() throws {
    let a = try plan(Self.text)
    let b = try plan(Self.text)
    #expect(Report.html(a.reportModel(reproducible: true)) == Report.html(b.reportModel(reproducible: true)))
  }

  /// The report carries the plan's charts through the extra-chart hook, with the capacity references.
  @Test func theReportShowsTheCharts() throws {
    let outcome = try CapacityPlanner.run(
      try loadScenario(Self.text),
      measure: { _, _ in EvaluationCost(nanosecondsPerEvaluation: 500, method: "test") })
    let html = Report.html(outcome.reportModel(reproducible: false))
    #expect(html.contains("Requests per second") && html.contains("Evaluations per second at the edges"))
    #expect(html.contains("sized for: peak + 30% headroom") && html.contains("At 500 ns per evaluation (test) one core evaluates 2,000,000"))
    #expect(html.contains(EdgeBenchmark.source))
    // The plan's page: its storms and cores, and none of a policy run's sections.
    #expect(html.contains("<meta name=\"rollsim-report\" content=\"capacity-plan\">"))
    #expect(!html.contains("No policies were run") && !html.contains("id=\"outcomes\"") && !html.contains("Policies compared"))
    let storms = try #require(html.components(separatedBy: "<section id=\"storms\">").last?.components(separatedBy: "</section>").first)
    #expect(storms.contains("<th scope=\"row\">apiOutage (API)</th><td>+0:20:00 to +0:30:00</td>"))
    #expect(storms.contains("<th scope=\"row\">edgeRestart (edges)</th><td>at +0:50:00, down 20s</td><td>1s ×2 up to 1m, no jitter</td>"))
    #expect(storms.contains("<th scope=\"row\">stateChange</th><td>+1:10:00</td>"))
    let cores = try #require(html.components(separatedBy: "<section id=\"cores\">").last?.components(separatedBy: "</section>").first)
    #expect(cores.contains("<th scope=\"row\">Evaluation alone: 500 ns each, measured on this machine</th><td>2,000,000 evaluations/s</td>"))
    // Whole requests are sized per tier, in Servers: the instances at p99 and through the worst storm.
    let servers = try #require(html.components(separatedBy: "<section id=\"servers\">").last?.components(separatedBy: "</section>").first)
    #expect(servers.contains("<th scope=\"row\">API</th>") && servers.contains("<th scope=\"row\">Edges</th>"))
    #expect(servers.contains("What saturates first") && servers.contains("servers sized for the 99th percentile"))
    // --reproducible leaves a measured cost out of the page, as out of capacity.json.
    let reproducible = Report.html(outcome.reportModel(reproducible: true))
    #expect(!reproducible.contains("500 ns") && reproducible.contains("measured on this machine, left out with --reproducible"))
    let json = outcome.json(reproducible: false).pretty
    #expect(json.contains("\"nanosecondsPerEvaluation\": 500"))
    #expect(outcome.sizing.coresAtPeak == outcome.series(.evaluations).stats.peak * 500 / 1e9 * 1.3)
  }
}

private func count(of needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }
