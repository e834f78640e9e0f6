import Foundation
import Testing

/// `rollsim bench gates`: the Markdown of results/gates.md, the same bytes from the same options.
@Suite struct GatesBenchTests {
  @Test func printsTheSameTableTwice() throws {
    let arguments = ["bench", "gates", "--releases", "4", "--degraded", "2", "--quiet"]
    let first = try CommandLine.run(CommandLine.rollsim, arguments)
    #expect(first.status == 0, "\(first.stderr)")
    #expect(first.stdout.hasPrefix("# Gates over whole releases\n"))
    #expect(first.stdout.contains("Made by `rollsim bench gates --releases 4 --degraded 2`"))
    #expect(first.stdout.contains("| anytime-valid | 0.05 | "))
    #expect(first.stderr.isEmpty)
    let second = try CommandLine.run(CommandLine.rollsim, arguments)
    #expect(second.stdout == first.stdout)
  }
}
