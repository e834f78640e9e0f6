import Scenario
/// The report's look: the page's CSS, a colour and a dash pattern per policy, and a symbol per decision.
/// Colours come from the Okabe–Ito palette, which stays distinct for the common kinds of colour blindness;
/// dash patterns and symbols carry the same information for readers who cannot rely on colour at all.
enum ReportStyle {
  static let policyColours = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]
  static let policyDashes = ["", "9 4", "3 3", "12 4 3 4", "6 2", "2 5", "14 3 3 3 3 3"]

  static func policyColour(_ index: Int) -> String { policyColours[index % policyColours.count] }
  static func policyDash(_ index: Int) -> String { policyDashes[index % policyDashes.count] }

  static let failedColour = "#D55E00"
  static let downColour = "#555555"
  static let treatmentColour = "#D55E00"
  static let controlColour = "#0072B2"
  static let crashColour = "#CC79A7"

  /// How a decision is drawn and named.
  struct DecisionStyle: Equatable {
    var name: String
    var shape: MarkerShape
    var colour: String
    /// Significant decisions get a vertical line through the plots; routine ones (holds) only a symbol.
    var significant: Bool
  }

  /// The style of a decision's action, matched without regard to case, spaces, dashes or underscores.
  static func decision(_ action: String) -> DecisionStyle {
    let key = String(action.lowercased().filter { $0.isLetter || $0.isNumber })
    switch key {
    case "advance", "ramp", "rampup", "increase", "start", "resume", "continue":
      return DecisionStyle(name: action, shape: .triangleUp, colour: "#009E73", significant: true)
    case "hold", "wait", "none", "noop", "stay":
      return DecisionStyle(name: action, shape: .dot, colour: "#777777", significant: false)
    case "pause", "halt", "stop", "freeze":
      return DecisionStyle(name: action, shape: .square, colour: "#E69F00", significant: true)
    case "rollback", "revert", "rampdown", "decrease":
      return DecisionStyle(name: action, shape: .triangleDown, colour: "#D55E00", significant: true)
    case "kill", "killswitch", "disable", "abort":
      return DecisionStyle(name: action, shape: .cross, colour: "#B00020", significant: true)
    case "complete", "completed", "finish", "done", "release":
      return DecisionStyle(name: action, shape: .diamond, colour: "#0072B2", significant: true)
    case "alert", "page", "notify":
      return DecisionStyle(name: action, shape: .ring, colour: "#CC79A7", significant: true)
    case "warn", "warning":
      return DecisionStyle(name: action, shape: .ring, colour: "#777777", significant: false)
    case "fix", "fixed", "hotfix", "patch":
      return DecisionStyle(name: action, shape: .plus, colour: "#009E73", significant: true)
    case "acknowledge", "ack", "acknowledged":
      return DecisionStyle(name: action, shape: .circle, colour: "#57606a", significant: true)
    default:
      return DecisionStyle(name: action, shape: .circle, colour: "#444444", significant: true)
    }
  }

  static let css = """
    :root { color-scheme: light; --ink: #1b1f24; --muted: #57606a; --line: #d0d7de; --soft: #f6f8fa; --best: #e6f4ea; }
    * { box-sizing: border-box; }
    body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: #fff; }
    main { max-width: 1180px; margin: 0 auto; padding: 24px 20px 48px; }
    h1 { font-size: 1.8em; margin: 0 0 .2em; }
    h2 { font-size: 1.35em; margin: 2em 0 .6em; padding-bottom: .2em; border-bottom: 1px solid var(--line); }
    h3 { font-size: 1.1em; margin: 1.6em 0 .4em; }
    p.lead { font-size: 1.05em; color: var(--muted); max-width: 72em; white-space: pre-line; }
    dl.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 8px 16px; margin: 1em 0; }
    dl.facts div { background: var(--soft); border: 1px solid var(--line); border-radius: 6px; padding: 6px 10px; }
    dl.facts dt { font-size: .8em; color: var(--muted); }
    dl.facts dd { margin: 0; font-weight: 600; overflow-wrap: anywhere; }
    nav ul { display: flex; flex-wrap: wrap; gap: 4px 16px; padding: 0; list-style: none; }
    .table-scroll { overflow-x: auto; }
    table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
    th, td { border: 1px solid var(--line); padding: 6px 10px; vertical-align: top; }
    thead th { background: var(--soft); text-align: left; }
    tbody th { text-align: left; font-weight: 600; background: #fff; }
    td.num { text-align: right; white-space: nowrap; }
    table.plan td.num { white-space: normal; }
    td.best { background: var(--best); font-weight: 700; }
    .best-tag { display: inline-block; margin-left: .4em; padding: 0 .35em; border: 1px solid #1a7f37; border-radius: 4px; font-size: .75em; font-weight: 600; color: #1a7f37; }
    .hint { display: block; font-weight: 400; font-size: .8em; color: var(--muted); }
    caption { caption-side: bottom; text-align: left; padding-top: 6px; color: var(--muted); font-size: .85em; }
    .charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 480px), 1fr)); gap: 12px 28px; }
    figure { margin: 0 0 12px; }
    figcaption { font-weight: 600; margin-bottom: 4px; }
    svg.chart { display: block; width: 100%; height: auto; background: #fff; }
    svg.chart text { font: 13px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; fill: var(--ink); }
    svg.chart .axis-title { fill: var(--muted); }
    svg.chart .grid { stroke: #e5e8eb; stroke-width: 1; }
    svg.chart .domain, svg.chart .tick { stroke: #6e7781; stroke-width: 1; }
    svg.chart .rules line { stroke-width: 1.2; stroke-dasharray: 4 3; opacity: .75; }
    svg.chart .reference line { stroke: #57606a; stroke-width: 1.2; stroke-dasharray: 6 3; }
    svg.chart .reference text { fill: #57606a; }
    svg.chart .no-data { fill: var(--muted); font-style: italic; }
    svg.chart .marker { cursor: help; }
    svg.line-chart { max-width: 720px; }
    svg.bar-chart { max-width: 560px; }
    ul.legend { list-style: none; padding: 0; margin: 4px 0 0; display: flex; flex-wrap: wrap; gap: 2px 16px; font-size: .88em; }
    ul.legend li { display: inline-flex; align-items: center; gap: 6px; }
    ul.legend svg { flex: none; }
    .policy + .policy { border-top: 1px solid var(--line); margin-top: 1.5em; }
    .policy-meta { color: var(--muted); margin: 0 0 .6em; }
    .focus-note { background: var(--soft); border-left: 3px solid #0072B2; padding: 6px 10px; max-width: 72em; }
    .band-note { font-size: .9em; color: var(--muted); max-width: 72em; }
    details { margin: .5em 0 1em; }
    summary { cursor: pointer; font-weight: 600; }
    table.decisions td, table.decisions th { font-size: .9em; padding: 3px 8px; }
    table.decisions td.action { white-space: nowrap; }
    .sources li { margin: .25em 0; overflow-wrap: anywhere; }
    footer { margin-top: 3em; color: var(--muted); font-size: .85em; }
    @media print { .charts { display: block; } details { display: block; } }
    """
}
