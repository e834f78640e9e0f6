import Testing

@testable import FlagEngine

@Suite struct LiteralTests {
  @Test func semanticVersionsParseLikeRustsSemverCrate() {
    for valid in ["0.0.0", "1.2.3", "1.2.3-alpha.1", "1.2.3-x-y", "1.2.3+build.007", "1.2.3-rc.1+b", "18446744073709551615.0.0"] {
      #expect(SemanticVersion(valid) != nil, "\(valid)")
    }
    for invalid in ["1.2", "v1.2.3", "01.2.3", "1.02.3", "1.2.3-01", "1.2.3-", "1.2.3-a..b", " 1.2.3", "=1.2.3", "18446744073709551616.0.0", "1.2.3+"] {
      #expect(SemanticVersion(invalid) == nil, "\(invalid)")
    }
  }

  @Test func prereleasePrecedenceFollowsSemver() {
    // semver.org §11: 1.0.0-alpha < 1.0.0-alpha.1 < 1.0.0-alpha.beta < 1.0.0-beta < 1.0.0-beta.2
    //                < 1.0.0-beta.11 < 1.0.0-rc.1 < 1.0.0
    let ordered = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0"]
    let versions = ordered.map { SemanticVersion($0)! }
    for (lower, higher) in zip(versions, versions.dropFirst()) {
      #expect(lower < higher, "\(lower) < \(higher)")
      let operand = SemverOperand(higher)
      let order = withUTF8Bytes(lower.description) { operand.compare(contextValue: $0) }
      #expect(order == -1, "\(lower) against \(higher)")
    }
    #expect(SemanticVersion("1.0.0+a")! == SemanticVersion("1.0.0+b")!, "build metadata is ignored")
  }

  @Test func timestampsConvertToUTC() {
    func parse(_ text: String) -> Timestamp? { withUTF8Bytes(text) { Timestamp.parseRelaxed($0) } }
    #expect(parse("1970-01-01T00:00:00Z") == Timestamp(seconds: 0))
    #expect(parse("2024-02-29T12:00:00.5+02:00") == Timestamp(seconds: 1_709_200_800, nanoseconds: 500_000_000))
    #expect(parse("2023-02-29T12:00:00Z") == nil)
    #expect(Timestamp(seconds: 1_709_208_000).iso8601 == "2024-02-29T12:00:00Z")
    #expect(Timestamp.parseConstraintLiteral("2024-01-01T00:00:00.000Z") != nil)
    #expect(Timestamp.parseConstraintLiteral("2024-01-01T00:00:00.1Z") == nil)
    #expect(Timestamp.parseConstraintLiteral("2024-01-01T00:00:00+0100") == nil)
  }

  @Test func addressesParseLikeRustsStdNet() {
    #expect(IPAddress("192.168.0.1") == .v4(0xC0A8_0001))
    #expect(IPAddress("::") == .v6(0))
    #expect(IPAddress("::ffff:1.2.3.4") == .v6(0xffff_0102_0304))
    #expect(IPAddress("2001:db8::1") == .v6((0x2001_0db8 as UInt128) << 96 | 1))
    #expect(IPAddress("1:2:3:4:5:6:7:8") != nil)
    for invalid in ["1.2.3", "1.2.3.256", "01.2.3.4", "1:2:3:4:5:6:7:8:9", "1::2::3", ":1::", "1:", "12345::", "::1.2.3"] {
      #expect(IPAddress(invalid) == nil, "\(invalid)")
    }
  }

  @Test func rustFloatGrammar() {
    #expect(RustFloat.parse("0.1") == 0.1)
    #expect(RustFloat.parse("123456789012345678901234567890") == 1.2345678901234568e29)
    #expect(RustFloat.parse("1e400") == .infinity)
    #expect(RustFloat.parse("-Infinity") == -.infinity)
    #expect(RustFloat.parse("nan")?.isNaN == true)
    #expect(RustFloat.constraintLiteral(" 12 ") == 12)
    #expect(RustFloat.constraintLiteral(".5") == nil)
    #expect(RustFloat.constraintLiteral("1.") == 1)
  }
}
