#!/usr/bin/env bash
# Checks a rollsim report in a real headless browser.
#
# usage: scripts/check-report.sh REPORT.html
#
# Loads the page in headless Chromium (scripts/bootstrap.sh installs it; when it is missing, this script
# installs it from Debian's packages) through the DevTools protocol, and fails (exit 1, with the messages) when the page:
#   - logs a console error or an assertion, throws an uncaught exception, or the browser logs an error;
#   - asks for anything from the network (the report must be self-contained);
#   - does not render: no <h1>, no charts, a chart with no size or no <title>, or fewer SVG charts in the
#     rendered DOM than in the file (a parsing accident swallowed some);
#   - lacks what its kind of page has. The page says its kind in <meta name="rollsim-report">; a page
#     without one is a run's (rollsim run), which must have one outcome table. A capacity plan's
#     ("capacity-plan", rollsim capacity) must have its figures, cores, storms and servers (instances per
#     tier, or a note that it sizes none), line charts over time
#     with lines drawn (or a note that says the figure is zero throughout), bandwidth with its unit
#     (kB/s, MB/s, GB/s), and no policy sections. A sweep's ("sweep", rollsim sweep) must have its outcome
#     table (a column per policy), an interval chart per outcome with a drawn interval or a reason for each
#     policy, the false-pause chart, the seeds and shards among its facts, what it was run with (two
#     SHA-256s), the #arrivals section (a chart of failed device-hours by fault arrival with a line or
#     point drawn, or the note that says why there is none), and no run's sections. A run's or a sweep's
#     page whose policies include big-bang and big-bang-guarded must have the #benefit table (humans to
#     automation, automation to staging) with its numbers, and a page without both must not;
#   - hides what happened: a chart that draws only flat lines at zero instead of saying there is nothing
#     to show; a chart marked empty without its note; on a run's page, a chart over time whose lines all
#     settle in the first fifth of its width (the activity squeezed into the left edge), or an
#     exposure or failures line with a non-zero peak drawn within 3 units of the floor (0.2% on a 100%
#     axis); on a capacity plan's page, a line with more than two points per column of its plot (a fast
#     oscillation drawn as an aliasing zigzag instead of a band);
#   - cuts off a table: at the 1280 px wide viewport, a table wider than its box (columns out of view).
# Writes a full-page PNG screenshot beside the report (REPORT.png) for a human look.
# Exit status: 0 clean, 1 the page has problems, 2 bad usage or the browser could not run.
set -euo pipefail

if [[ $# -ne 1 || "$1" == -h || "$1" == --help ]]; then
  echo "usage: $0 REPORT.html" >&2
  exit 2
fi
report=$1
if [[ ! -f "$report" ]]; then
  echo "check-report: no such file: $report" >&2
  exit 2
fi

as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi
}

find_browser() {
  local candidate
  for candidate in chromium chromium-browser google-chrome; do
    if command -v "$candidate" >/dev/null 2>&1; then
      command -v "$candidate"
      return 0
    fi
  done
  return 1
}

if ! browser=$(find_browser); then
  echo "check-report: installing chromium from Debian's packages" >&2
  as_root apt-get update -qq >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2
  browser=$(find_browser) || { echo "check-report: chromium is still missing after apt-get" >&2; exit 2; }
fi
if ! command -v python3 >/dev/null 2>&1; then
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 >&2
fi

screenshot="${report%.*}.png"
exec python3 - "$browser" "$report" "$screenshot" <<'PYTHON'
"""Drives Chromium over --remote-debugging-pipe (file descriptors 3 and 4, NUL-separated JSON)."""
import base64, fcntl, json, os, select, shutil, subprocess, sys, tempfile, time

browser, report, screenshot = sys.argv[1], os.path.abspath(sys.argv[2]), os.path.abspath(sys.argv[3])
TIMEOUT = 90.0
SETTLE = 1.0  # seconds to keep listening after the load event, for late errors

profile = tempfile.mkdtemp(prefix="check-report-")
browser_log = open(os.path.join(profile, "browser.log"), "w+")
to_browser_r, to_browser_w = os.pipe()
from_browser_r, from_browser_w = os.pipe()

def child_fds():
    # Move the pipe ends out of the way first, then onto 3 and 4, where Chromium expects them.
    a = fcntl.fcntl(to_browser_r, fcntl.F_DUPFD, 10)
    b = fcntl.fcntl(from_browser_w, fcntl.F_DUPFD, 10)
    os.dup2(a, 3)
    os.dup2(b, 4)
    os.close(a)
    os.close(b)

flags = [
    "--headless", "--remote-debugging-pipe", "--user-data-dir=" + profile, "--no-first-run",
    "--no-default-browser-check", "--disable-gpu", "--disable-dev-shm-usage", "--disable-extensions",
    "--disable-background-networking", "--disable-component-update", "--disable-default-apps",
    "--disable-sync", "--mute-audio", "--hide-scrollbars", "--window-size=1280,900",
]
if os.geteuid() == 0:
    flags.append("--no-sandbox")
process = subprocess.Popen(
    [browser] + flags + ["about:blank"], stdin=subprocess.DEVNULL, stdout=browser_log, stderr=browser_log,
    close_fds=False, preexec_fn=child_fds)
os.close(to_browser_r)
os.close(from_browser_w)

deadline = time.monotonic() + TIMEOUT
buffer = b""
pending = []
next_id = 0

def fail_setup(message):
    browser_log.flush()
    browser_log.seek(0)
    log = browser_log.read()[-4000:]
    print(f"check-report: {message}", file=sys.stderr)
    if log.strip():
        print("browser output (last lines):\n" + log, file=sys.stderr)
    cleanup()
    sys.exit(2)

def cleanup():
    try:
        process.kill()
        process.wait(timeout=10)
    except Exception:
        pass
    shutil.rmtree(profile, ignore_errors=True)

def read_message(until):
    global buffer
    while b"\0" not in buffer:
        remaining = until - time.monotonic()
        if remaining <= 0:
            return None
        ready, _, _ = select.select([from_browser_r], [], [], remaining)
        if not ready:
            return None
        chunk = os.read(from_browser_r, 1 << 20)
        if not chunk:
            fail_setup("the browser closed the DevTools pipe (did it crash?)")
        buffer += chunk
    message, buffer = buffer.split(b"\0", 1)
    return json.loads(message)

def send(method, params=None, session=None):
    global next_id
    next_id += 1
    message = {"id": next_id, "method": method, "params": params or {}}
    if session:
        message["sessionId"] = session
    data = json.dumps(message).encode() + b"\0"
    while data:
        written = os.write(to_browser_w, data)
        data = data[written:]
    return next_id

def call(method, params=None, session=None):
    """Sends a command and waits for its answer; events that arrive meanwhile are kept for later."""
    wanted = send(method, params, session)
    while True:
        message = read_message(deadline)
        if message is None:
            fail_setup(f"no answer to {method} within {TIMEOUT:.0f} s")
        if message.get("id") == wanted:
            if "error" in message:
                fail_setup(f"{method} failed: {message['error']}")
            return message.get("result", {})
        pending.append(message)

def events(until):
    while pending:
        yield pending.pop(0)
    while True:
        message = read_message(until)
        if message is None:
            return
        yield message

problems = []
notes = []

def describe_remote(args):
    parts = []
    for arg in args:
        if "value" in arg:
            parts.append(str(arg["value"]))
        else:
            parts.append(arg.get("description") or arg.get("type", "?"))
    return " ".join(parts)

def observe(message, session):
    if message.get("sessionId") != session:
        return
    method, params = message.get("method"), message.get("params", {})
    if method == "Runtime.consoleAPICalled":
        text = describe_remote(params.get("args", []))
        if params.get("type") in ("error", "assert"):
            problems.append(f"console.{params.get('type')}: {text}")
        elif params.get("type") == "warning":
            notes.append(f"console.warn: {text}")
    elif method == "Runtime.exceptionThrown":
        details = params.get("exceptionDetails", {})
        exception = details.get("exception", {})
        problems.append("uncaught exception: " + (exception.get("description") or details.get("text", "?")))
    elif method == "Log.entryAdded":
        entry = params.get("entry", {})
        where = f" ({entry['url']})" if entry.get("url") else ""
        if entry.get("level") == "error":
            problems.append(f"browser log error [{entry.get('source')}]: {entry.get('text')}{where}")
        elif entry.get("level") == "warning":
            notes.append(f"browser log warning [{entry.get('source')}]: {entry.get('text')}{where}")
    elif method == "Network.requestWillBeSent":
        url = params.get("request", {}).get("url", "")
        if not url.startswith(("file:", "data:", "about:", "blob:")):
            problems.append(f"network request (the report must be self-contained): {url}")
    elif method == "Network.loadingFailed":
        if not params.get("canceled"):
            problems.append(f"a resource failed to load: {params.get('errorText')}")

try:
    target = call("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    for domain in ("Runtime.enable", "Log.enable", "Page.enable", "Network.enable"):
        call(domain, session=session)
    call("Emulation.setDeviceMetricsOverride",
         {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False}, session=session)
    navigation = call("Page.navigate", {"url": "file://" + report}, session=session)
    if navigation.get("errorText"):
        problems.append(f"navigation failed: {navigation['errorText']}")
    loaded = False
    for message in events(deadline):
        observe(message, session)
        if message.get("sessionId") == session and message.get("method") == "Page.loadEventFired":
            loaded = True
            break
    if not loaded:
        problems.append(f"the page did not finish loading within {TIMEOUT:.0f} s")
    for message in events(min(deadline, time.monotonic() + SETTLE)):
        observe(message, session)

    probe = r"""(() => {
      const kindTag0 = document.querySelector('meta[name="rollsim-report"]');
      const kind = kindTag0 ? kindTag0.getAttribute('content') : 'run';
      const charts = [...document.querySelectorAll('svg.chart')];
      const empty = charts.filter(c => { const r = c.getBoundingClientRect(); return !(r.width > 0 && r.height > 0); });
      const kindTag = document.querySelector('meta[name="rollsim-report"]');
      const rows = selector => document.querySelectorAll(selector + ' tbody tr').length;
      return JSON.stringify({
        kind: kindTag ? kindTag.getAttribute('content') : 'run',
        title: document.title,
        h1: document.querySelectorAll('h1').length,
        outcomeTables: document.querySelectorAll('table.outcomes').length,
        policyColumns: Math.max(0, document.querySelectorAll('table.outcomes thead th').length - 1),
        charts: charts.length,
        lineCharts: document.querySelectorAll('svg.line-chart').length,
        barCharts: document.querySelectorAll('svg.bar-chart').length,
        emptyCharts: empty.map(c => c.getAttribute('aria-labelledby')),
        untitledCharts: charts.filter(c => !c.querySelector(':scope > title')).length,
        lines: document.querySelectorAll('svg.chart path[stroke], svg.chart circle').length,
        markers: document.querySelectorAll('svg.chart g.marker').length,
        scripts: document.querySelectorAll('script').length,
        policySections: document.querySelectorAll('#outcomes, #over-time, #policies, article.policy').length,
        planCharts: document.querySelectorAll('#load svg.line-chart').length,
        planChartsWithLines: [...document.querySelectorAll('#load svg.line-chart')]
          .filter(c => c.querySelector('g.series path, g.series circle') || c.hasAttribute('data-empty')).length,
        figureRows: rows('#figures table.plan'),
        coreRows: rows('#cores table.plan'),
        stormRows: rows('#storms table.plan'),
        stormSection: document.querySelectorAll('#storms').length,
        serverRows: rows('#servers table.plan'),
        serverSection: document.querySelectorAll('#servers').length,
        serverNote: [...document.querySelectorAll('#servers p')].some(p => p.textContent.includes('sizes no servers')),
        sweepTables: document.querySelectorAll('table.sweep').length,
        sweepColumns: Math.max(0, document.querySelectorAll('table.sweep thead th').length - 1),
        sweepRows: rows('table.sweep'),
        intervalCharts: document.querySelectorAll('svg.interval-chart').length,
        intervalRows: document.querySelectorAll('svg.interval-chart g.interval').length,
        intervalsShown: [...document.querySelectorAll('svg.interval-chart g.interval')]
          .filter(g => g.querySelector('circle, text.no-data')).length,
        intervalsDrawn: document.querySelectorAll('svg.interval-chart g.interval circle').length,
        falsePauseCharts: document.querySelectorAll('#false-pauses svg.interval-chart').length,
        policyNames: [...document.querySelectorAll('table.outcomes thead th, table.sweep thead th')].slice(1).map(th => th.textContent.trim()),
        benefitTables: document.querySelectorAll('#benefit table.benefit').length,
        benefitRows: [...document.querySelectorAll('#benefit table.benefit tbody tr')].map(tr =>
          [...tr.querySelectorAll('td')].map(td => td.textContent.trim())),
        arrivalSections: document.querySelectorAll('section#arrivals').length,
        arrivalCharts: document.querySelectorAll('#arrivals svg.line-chart').length,
        arrivalDrawn: document.querySelectorAll('#arrivals svg.line-chart g.series path, #arrivals svg.line-chart g.series circle').length,
        arrivalNotes: [...document.querySelectorAll('#arrivals p.no-arrivals')].filter(p => p.textContent.trim().length > 0).length,
        facts: [...document.querySelectorAll('dl.facts dt')].map(dt => dt.textContent),
        hashes: [...document.querySelectorAll('#identity td')].map(td => td.textContent.trim()).filter(t => /^[0-9a-f]{64}$/.test(t)),
        width: document.documentElement.scrollWidth,
        height: document.documentElement.scrollHeight,
        ...chartProblems(),
        cutTables: [...document.querySelectorAll('table')].filter(table => {
          const box = table.parentElement;
          const r = table.getBoundingClientRect();
          return box.scrollWidth > box.clientWidth + 1 || r.right > document.documentElement.clientWidth + 1;
        }).map(table => {
          const section = table.closest('section');
          const heading = table.parentElement.previousElementSibling;
          return (section ? '#' + section.id : '') + (heading && heading.tagName === 'H3' ? ' ' + heading.textContent : '') +
            ' (' + Math.round(table.getBoundingClientRect().width) + ' px in ' + table.parentElement.clientWidth + ' px)';
        }),
      });

      // What the charts show, read from their SVG (our own path syntax: "M x y L x y ... M ...").
      function chartProblems() {
        const points = d => d.split(/(?=[MLZ])/).filter(t => /^[ML]/.test(t)).map(t => t.slice(1).trim().split(/[ ,]+/).map(Number));
        const name = svg => { const t = svg.querySelector(':scope > title'); return t ? t.textContent : svg.getAttribute('aria-labelledby'); };
        const flatUnnoted = [], emptyUnnoted = [], crowded = [], floored = [], zigzags = [];
        for (const svg of document.querySelectorAll('svg.line-chart')) {
          const domains = svg.querySelectorAll('.x-axis line.domain');
          if (!domains.length) continue;
          const floor = Number(domains[0].getAttribute('y1'));
          const left = Number(domains[0].getAttribute('x1')), right = Number(domains[0].getAttribute('x2'));
          const note = svg.querySelector('text.no-data');
          const noted = note && note.textContent.trim().length > 0 && note.getBoundingClientRect().width > 0;
          if (svg.hasAttribute('data-empty') && !noted) emptyUnnoted.push(name(svg));
          const lines = [...svg.querySelectorAll('g.series path[fill="none"]')].map(p => points(p.getAttribute('d') || ''));
          const all = lines.flat();
          if (all.length && !noted && all.every(([, y]) => Math.abs(y - floor) < 0.05)) flatUnnoted.push(name(svg));
          if (kind === 'run' && all.length && !svg.hasAttribute('data-empty')) {
            // Where each line settles: after its last point more than 1.5 units from where it ends.
            let lastChange = -Infinity;
            for (const line of lines) {
              if (line.length < 2) continue;
              const end = line[line.length - 1][1];
              for (let i = line.length - 2; i >= 0; i--) {
                if (Math.abs(line[i][1] - end) > 1.5) { lastChange = Math.max(lastChange, line[i + 1][0]); break; }
              }
            }
            // Decisions marked on the chart use its width too.
            for (const marker of svg.querySelectorAll('g.marker')) {
              const box = marker.getBBox();
              lastChange = Math.max(lastChange, box.x + box.width / 2);
            }
            if (lastChange > -Infinity && lastChange < left + 0.2 * (right - left)) {
              crowded.push(name(svg) + ' (nothing changes after ' + Math.round(100 * (lastChange - left) / (right - left)) + '% of its width)');
            }
            if (/exposure|fail/i.test(name(svg))) {
              for (const series of svg.querySelectorAll('g.series[data-peak]')) {
                if (!(Number(series.getAttribute('data-peak')) > 0)) continue;
                const drawn = [...series.querySelectorAll('path')].flatMap(p => points(p.getAttribute('d') || ''))
                  .concat([...series.querySelectorAll('circle')].map(c => [0, Number(c.getAttribute('cy'))]));
                const highest = Math.min(...drawn.map(([, y]) => y));
                if (!(floor - highest >= 3)) {
                  floored.push(name(svg) + ': ' + series.querySelector('title').textContent + ' (peak ' + series.getAttribute('data-peak') + ')');
                }
              }
            }
          }
          if (kind === 'capacity-plan' && svg.closest('#load')) {
            for (const line of lines) {
              if (line.length > 2 * (right - left)) {
                zigzags.push(name(svg) + ' (' + line.length + ' points in ' + Math.round(right - left) + ' columns)');
              }
            }
          }
        }
        const bandwidth = [...document.querySelectorAll('#load svg.line-chart')].filter(svg => /bandwidth/i.test(name(svg)));
        return {
          flatUnnoted, emptyUnnoted, crowded, floored, zigzags,
          bandwidthCharts: bandwidth.length,
          bandwidthUnits: bandwidth.filter(svg => [...svg.querySelectorAll('.axis-title')].some(t => /\((k|M|G|T)?B\/s\)/.test(t.textContent))).length,
        };
      }
    })()"""
    result = call("Runtime.evaluate", {"expression": probe, "returnByValue": True}, session=session)
    if "exceptionDetails" in result:
        problems.append("the DOM probe failed: " + json.dumps(result["exceptionDetails"])[:500])
        dom = {}
    else:
        dom = json.loads(result["result"]["value"])
    with open(report, encoding="utf-8", errors="replace") as source:
        in_file = source.read().count('<svg class="chart')
    if dom:
        if dom["h1"] < 1:
            problems.append("no <h1> rendered")
        if dom["kind"] == "run":
            if dom["outcomeTables"] != 1:
                problems.append(f"expected one outcome table, found {dom['outcomeTables']}")
        elif dom["kind"] == "capacity-plan":
            if dom["outcomeTables"] or dom["policySections"]:
                problems.append(f"a capacity plan with policy sections: {dom['outcomeTables']} outcome tables, "
                                f"{dom['policySections']} policy sections")
            if dom["planCharts"] == 0:
                problems.append("no capacity charts rendered in #load")
            elif dom["planChartsWithLines"] != dom["planCharts"]:
                problems.append(f"{dom['planCharts'] - dom['planChartsWithLines']} of {dom['planCharts']} capacity charts have no line")
            if dom["figureRows"] == 0:
                problems.append("no figures table (p50, p99, peak) in #figures")
            if dom["coreRows"] == 0:
                problems.append("no cores table in #cores")
            if dom["stormSection"] != 1:
                problems.append("no #storms section")
            if dom["serverSection"] != 1:
                problems.append("no #servers section")
            elif dom["serverRows"] == 0 and not dom["serverNote"]:
                problems.append("no instances per tier in #servers, and no note saying the plan sizes none")
            if dom["bandwidthCharts"] != dom["bandwidthUnits"]:
                problems.append("a bandwidth chart without its unit (B/s, kB/s, MB/s, GB/s) in its axis title")
            for chart in dom["zigzags"]:
                problems.append(f"a line drawn as a zigzag instead of a band: {chart}")
        elif dom["kind"] == "sweep":
            if dom["outcomeTables"] or dom["policySections"]:
                problems.append(f"a sweep with a run's sections: {dom['outcomeTables']} run outcome tables, "
                                f"{dom['policySections']} policy sections")
            if dom["sweepTables"] != 1:
                problems.append(f"expected one sweep outcome table (table.sweep), found {dom['sweepTables']}")
            elif dom["sweepColumns"] == 0 or dom["sweepRows"] < 6:
                problems.append(f"the sweep table has {dom['sweepColumns']} policy columns and {dom['sweepRows']} outcome rows "
                                "(expected a column per policy and at least 6 outcomes)")
            if dom["intervalCharts"] < 6:
                problems.append(f"{dom['intervalCharts']} interval charts; expected one per outcome (6)")
            elif dom["intervalRows"] != dom["intervalCharts"] * dom["sweepColumns"]:
                problems.append(f"{dom['intervalRows']} interval rows in {dom['intervalCharts']} charts; "
                                f"expected one per policy ({dom['sweepColumns']}) in each")
            elif dom["intervalsShown"] != dom["intervalRows"]:
                problems.append(f"{dom['intervalRows'] - dom['intervalsShown']} interval rows show neither a mean nor a reason")
            if dom["intervalsDrawn"] == 0:
                problems.append("no interval drawn in any chart")
            if dom["falsePauseCharts"] != 1:
                problems.append("no false-pause chart in #false-pauses")
            for fact in ("Seeds", "Shards", "Devices"):
                if fact not in dom["facts"]:
                    problems.append(f"no '{fact}' among the header's facts")
            if len(dom["hashes"]) < 2:
                problems.append("#identity does not show the scenario's and the flag state's SHA-256")
            if dom["arrivalSections"] != 1:
                problems.append("no #arrivals section (failed device-hours by when the faults arrived)")
            elif dom["arrivalCharts"] == 0 and dom["arrivalNotes"] == 0:
                problems.append("#arrivals has neither a chart nor the note that says why there is none")
            elif dom["arrivalCharts"] and dom["arrivalDrawn"] == 0:
                problems.append("the arrival chart in #arrivals draws no line or point")
        else:
            problems.append(f"unknown kind of report in <meta name=\"rollsim-report\">: {dom['kind']!r}")
        if dom["kind"] in ("run", "sweep"):
            # Where the benefit comes from: present exactly where the page has big-bang and big-bang-guarded.
            applies = "big-bang" in dom["policyNames"] and "big-bang-guarded" in dom["policyNames"]
            if applies and dom["benefitTables"] != 1:
                problems.append("policies big-bang and big-bang-guarded but no #benefit table (humans to automation, automation to staging)")
            elif applies and not dom["benefitRows"]:
                problems.append("the #benefit table has no step")
            elif applies:
                for cells in dom["benefitRows"]:
                    if len(cells) < 4 or not any(ch.isdigit() for ch in cells[1]) or not any(ch.isdigit() for ch in cells[2]):
                        problems.append(f"a #benefit row without its numbers: {cells}")
            elif dom["benefitTables"]:
                problems.append("a #benefit table on a page without both big-bang and big-bang-guarded")
        if dom["charts"] == 0:
            problems.append("no SVG charts rendered")
        if dom["charts"] != in_file:
            problems.append(f"the file has {in_file} SVG charts but the rendered page has {dom['charts']}")
        if dom["emptyCharts"]:
            problems.append("charts rendered with no size: " + ", ".join(map(str, dom["emptyCharts"])))
        if dom["untitledCharts"]:
            problems.append(f"{dom['untitledCharts']} charts have no <title>")
        for chart in dom["flatUnnoted"]:
            problems.append(f"a chart draws only flat lines at zero without saying there is nothing to show: {chart}")
        for chart in dom["emptyUnnoted"]:
            problems.append(f"an empty chart without its note: {chart}")
        for chart in dom["crowded"]:
            problems.append(f"the activity is squeezed into the left edge of a chart: {chart}")
        for line in dom["floored"]:
            problems.append(f"a non-zero line drawn on the floor of its chart: {line}")
        for table in dom["cutTables"]:
            problems.append(f"a table is cut off at 1280 px: {table}")

    # for message in pending events that arrived during the probe
    for message in events(time.monotonic()):
        observe(message, session)

    metrics = call("Page.getLayoutMetrics", session=session)
    size = metrics.get("cssContentSize") or metrics.get("contentSize")
    width = max(1, int(size["width"]))
    height = max(1, min(int(size["height"]), 16384))
    shot = call("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}}, session=session)
    with open(screenshot, "wb") as out:
        out.write(base64.b64decode(shot["data"]))
    try:
        send("Browser.close")
        process.wait(timeout=10)
    except Exception:
        pass
finally:
    cleanup()

print(f"check-report: {report}")
if dom:
    print(f"  title: {dom['title']} ({dom['kind']} report)")
    if dom["kind"] == "capacity-plan":
        print(f"  rendered: {dom['charts']} SVG charts ({dom['planCharts']} capacity charts over time, {dom['barCharts']} bar), "
              f"{dom['figureRows']} figures, {dom['stormRows']} storm rows, {dom['coreRows']} core rows, "
              f"{dom['scripts']} scripts, page {dom['width']}x{dom['height']} px")
    elif dom["kind"] == "sweep":
        print(f"  rendered: {dom['charts']} SVG charts ({dom['intervalCharts']} interval charts, {dom['intervalsDrawn']} "
              f"intervals drawn), outcome table with {dom['sweepColumns']} policy columns and {dom['sweepRows']} outcomes, "
              f"{len(dom['hashes'])} SHA-256s, {dom['scripts']} scripts, page {dom['width']}x{dom['height']} px")
    else:
        print(f"  rendered: {dom['charts']} SVG charts ({dom['lineCharts']} line, {dom['barCharts']} bar), "
              f"{dom['markers']} decision markers, outcome table with {dom['policyColumns']} policy columns, "
              f"{dom['scripts']} scripts, page {dom['width']}x{dom['height']} px")
print(f"  screenshot: {screenshot} ({width}x{height} px)")
for note in notes:
    print(f"  note: {note}")
if problems:
    print(f"FAIL: {len(problems)} problem(s):", file=sys.stderr)
    for problem in problems:
        print(f"  - {problem}", file=sys.stderr)
    sys.exit(1)
print("  console clean: no errors, no exceptions, no network requests")
PYTHON
