import Foundation
import Testing

@testable import FlagEngine

/// The Unleash client specification (../shared/unleash-client-specification, 22 files, 279 cases):
/// every case must pass.
@Suite struct SpecificationConformanceTests {
  static let files: [String] = {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: specificationDirectory)) ?? []
    return names.filter { $0.hasSuffix(".json") && $0 != "index.json" }.sorted()
  }()

  @Test func specificationIsPresent() {
    #expect(Self.files.count == 22, "expected the 22 files of the specification in \(specificationDirectory)")
  }

  @Test(arguments: files)
  func specificationFile(_ file: String) throws {
    let suite = try SpecificationSuite.load(path: specificationDirectory + "/" + file)
    let result = suite.run()
    for failure in result.failures { Issue.record("\(failure)") }
    #expect(result.passed == suite.cases.count)
  }

  @Test func allCasesAreCounted() throws {
    var total = 0
    for file in Self.files { total += try SpecificationSuite.load(path: specificationDirectory + "/" + file).cases.count }
    #expect(total == 279)
  }
}
