import FlagEngine
import Scenario
import Foundation

extension CapacityOutcome {
  /// The files a capacity plan writes.
  public static let files = ["capacity.json", "capacity.csv", "report.html"]

  /// Writes capacity.json, capacity.csv and report.html into a ``ResultsFolder`` (whole files or none,
  /// and nothing else in the folder touched); `command` is recorded in the folder's manifest.
  /// `page` is the plan's report.html (the Report module renders it).
  public func write(to folder: ResultsFolder, page: String, reproducible: Bool, command: String) throws(ScenarioError) {
    try folder.write(
      [
        ("capacity.json", json(reproducible: reproducible).pretty),
        ("capacity.csv", csv),
        ("report.html", page),
      ], command: command)
  }
}
