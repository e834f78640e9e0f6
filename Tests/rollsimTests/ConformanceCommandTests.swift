import Foundation
import Testing

@Suite struct ConformanceCommandTests {
  @Test func passesTheWholeSpecification() throws {
    let directory = CommandLine.packageRoot.deletingLastPathComponent()
      .appendingPathComponent("shared/unleash-client-specification/specifications").path
    let outcome = try CommandLine.rollsim("conformance", directory)
    #expect(outcome.status == 0)
    #expect(outcome.stdout.hasSuffix("279 passed, 0 failed\n"))
  }

  @Test func reportsFailuresAndExitsWithOne() throws {
    try CommandLine.withTemporaryFolder { folder in
    try Data(#"""
      {"name":"01-wrong","state":{"version":1,"features":[{"name":"f","enabled":true,"strategies":[{"name":"default"}]}]},
       "tests":[{"description":"f must be off","context":{},"toggleName":"f","expectedResult":false},
                {"description":"f is on","context":{},"toggleName":"f","expectedResult":true}]}
      """#.utf8).write(to: folder.appendingPathComponent("01-wrong.json"))
    let outcome = try CommandLine.rollsim("conformance", folder.path)
    #expect(outcome.status == 1)
    #expect(outcome.stdout.contains("FAIL 01-wrong: f must be off"))
    #expect(outcome.stdout.hasSuffix("1 passed, 1 failed\n"))
    }
  }

  @Test func refusesAFolderWithoutSpecifications() throws {
    let outcome = try CommandLine.withTemporaryFolder { try CommandLine.rollsim("conformance", $0.path) }
    #expect(outcome.status == 1)
    #expect(outcome.stderr.contains("no specification files"))
  }
}
