import Testing

@testable import FlagEngine

// Expectations marked "yggdrasil" were confirmed with yggdrasil-engine 2.0.0 (PyPI; it embeds
// unleash-yggdrasil 0.21.5), Unleash's reference engine; the others follow the Unleash client specification.
@Suite struct ConstraintOperatorTests {
  @Test func inAndNotIn() throws {
    let inList = try constrained(#"{"contextName":"p","operator":"IN","values":["a","b"]}"#)
    #expect(inList.on("f", property("a")))
    #expect(!inList.on("f", property("c")))
    #expect(!inList.on("f", property(nil)))
    let notIn = try constrained(#"{"contextName":"p","operator":"NOT_IN","values":["a","b"]}"#)
    #expect(!notIn.on("f", property("a")))
    #expect(notIn.on("f", property("c")))
    #expect(notIn.on("f", property(nil)), "a missing value is not in the list")
  }

  @Test func inComparesBytesNotCanonicalEquivalence() throws {
    // yggdrasil: "e\u{301}" is not in ["é"] (Rust compares bytes; Swift's == would say equal).
    let state = try constrained(#"{"contextName":"p","operator":"IN","values":["é"]}"#)
    #expect(state.on("f", property("é")))
    #expect(!state.on("f", property("e\u{301}")))
  }

  @Test func inIgnoresCaseInsensitive() throws {
    // yggdrasil: caseInsensitive has no effect on IN.
    let state = try constrained(#"{"contextName":"p","operator":"IN","values":["AbC"],"caseInsensitive":true}"#)
    #expect(!state.on("f", property("abc")))
    #expect(state.on("f", property("AbC")))
  }

  @Test func emptyAndMissingValueLists() throws {
    // Client specification 11: IN [] is never true, NOT_IN [] always.
    #expect(!(try constrained(#"{"contextName":"p","operator":"IN","values":[]}"#)).on("f", property("x")))
    #expect((try constrained(#"{"contextName":"p","operator":"NOT_IN","values":[]}"#)).on("f", property("x")))
    #expect((try constrained(#"{"contextName":"p","operator":"IN","values":[],"inverted":true}"#)).on("f", property(nil)))
    #expect(!(try constrained(#"{"contextName":"p","operator":"IN"}"#)).on("f", property("x")))
  }

  @Test func missingFieldUnderInversion() throws {
    // yggdrasil: a missing value fails every operator but NOT_IN; inverting flips that, so an inverted
    // constraint on a missing field is true (false for NOT_IN).
    for constraint in [
      #"{"contextName":"p","operator":"IN","values":["a"],"inverted":true}"#,
      #"{"contextName":"p","operator":"STR_CONTAINS","values":["a"],"inverted":true}"#,
      #"{"contextName":"p","operator":"NUM_GT","value":"1","inverted":true}"#,
      #"{"contextName":"p","operator":"SEMVER_GTE","value":"1.0.0","inverted":true}"#,
      #"{"contextName":"p","operator":"IN_CIDR","values":["10.0.0.0/8"],"inverted":true}"#,
      #"{"contextName":"p","operator":"REGEX","value":"a","inverted":true}"#,
    ] {
      #expect(try constrained(constraint).on("f", property(nil)), "\(constraint)")
    }
    #expect(!(try constrained(#"{"contextName":"p","operator":"NOT_IN","values":["a"],"inverted":true}"#)).on("f", property(nil)))
  }

  @Test func stringOperators() throws {
    let starts = try constrained(#"{"contextName":"p","operator":"STR_STARTS_WITH","values":["eu-","ap-"]}"#)
    #expect(starts.on("f", property("eu-west")))
    #expect(!starts.on("f", property("us-east")))
    let ends = try constrained(#"{"contextName":"p","operator":"STR_ENDS_WITH","values":["@example.com"]}"#)
    #expect(ends.on("f", property("a@example.com")))
    #expect(!ends.on("f", property("a@EXAMPLE.com")))
    let endsCI = try constrained(#"{"contextName":"p","operator":"STR_ENDS_WITH","values":["@Example.com"],"caseInsensitive":true}"#)
    #expect(endsCI.on("f", property("a@EXAMPLE.COM")))
    let contains = try constrained(#"{"contextName":"p","operator":"STR_CONTAINS","values":["mid"]}"#)
    #expect(contains.on("f", property("a-mid-b")))
    #expect(!contains.on("f", property("a-MID-b")))
    // yggdrasil: an empty needle is contained in everything.
    #expect((try constrained(#"{"contextName":"p","operator":"STR_CONTAINS","values":[""]}"#)).on("f", property("")))
  }

  @Test func caseInsensitiveUsesUnicodeLowerCase() throws {
    // yggdrasil: "ÄB" (ci) is contained in "xäbx"; "İ" lower-cases to "i̇" (i + combining dot), not "i".
    #expect((try constrained(#"{"contextName":"p","operator":"STR_CONTAINS","values":["ÄB"],"caseInsensitive":true}"#)).on("f", property("xäbx")))
    let dotted = try constrained(#"{"contextName":"p","operator":"STR_STARTS_WITH","values":["İ"],"caseInsensitive":true}"#)
    #expect(dotted.on("f", property("i\u{307}x")))
    #expect(!dotted.on("f", property("ix")))
  }

  @Test func numericOperators() throws {
    let cases: [(String, String, [String: Bool])] = [
      ("NUM_EQ", "12", ["12": true, "12.0": true, "+12": true, "1.2e1": true, "13": false]),
      ("NUM_GT", "12", ["13": true, "12": false, "inf": true, "NaN": false]),
      ("NUM_GTE", "12", ["12": true, "11.999": false]),
      ("NUM_LT", "-3.5", ["-4": true, "-3.5": false]),
      ("NUM_LTE", "0", ["0": true, "-0": true, ".5": false, "1.": false]),
    ]
    for (op, value, answers) in cases {
      let state = try constrained(#"{"contextName":"p","operator":""# + op + #"","value":""# + value + #""}"#)
      for (input, expected) in answers {
        #expect(state.on("f", property(input)) == expected, "\(input) \(op) \(value)")
      }
    }
  }

  @Test func numericContextValuesFollowRustsGrammar() throws {
    // yggdrasil: Rust's f64 parser: no white space, no hex, no underscores, no other digits than ASCII.
    let state = try constrained(#"{"contextName":"p","operator":"NUM_EQ","value":"1"}"#)
    for accepted in ["1", "1.0", "+1", "1e0", ".1e1", "1."] { #expect(state.on("f", property(accepted)), "\(accepted)") }
    for refused in [" 1", "1 ", "0x1", "1_0", "١", "", "-", "e1"] { #expect(!state.on("f", property(refused)), "\(refused)") }
  }

  @Test func dateOperators() throws {
    let after = try constrained(#"{"contextName":"currentTime","operator":"DATE_AFTER","value":"2024-01-01T00:00:00.000Z"}"#)
    func at(_ time: String) -> Context { Context(currentTime: time) }
    #expect(after.on("f", at("2024-01-01T00:00:00.001Z")))
    #expect(!after.on("f", at("2024-01-01T00:00:00Z")), "DATE_AFTER is exclusive")
    #expect(after.on("f", at("2024-01-01T02:00:00+01:00")))
    #expect(!after.on("f", at("2024-01-01T00:30:00+01:00")))
    // yggdrasil (chrono's relaxed RFC 3339): these forms are accepted...
    for accepted in ["2024-01-01t02:00:00z", "2024-01-01 02:00:00Z", "2024-01-01T02:00:00+0100", "2024-1-1T2:0:0Z", " 2024-01-01T02:00:00Z ", "2024-01-01T02:00:00UTC"] {
      #expect(after.on("f", at(accepted)), "\(accepted)")
    }
    // ...and these refused.
    for refused in ["2024-01-01", "2024-01-01T02:00:00", "2024-01-01T02:00:00+01", "2024-02-30T00:00:00Z", "2024-01-01T24:00:00Z", "2024-01-01T02:00:00.Z"] {
      #expect(!after.on("f", at(refused)), "\(refused)")
    }
    let before = try constrained(#"{"contextName":"currentTime","operator":"DATE_BEFORE","value":"2024-01-01T00:00:00+02:00"}"#)
    #expect(before.on("f", at("2023-12-31T21:59:59Z")))
    #expect(!before.on("f", at("2023-12-31T22:00:00Z")))
  }

  @Test func missingCurrentTimeMeansNow() throws {
    #expect(try constrained(#"{"contextName":"currentTime","operator":"DATE_AFTER","value":"2020-01-01T00:00:00Z"}"#).on())
    #expect(!(try constrained(#"{"contextName":"currentTime","operator":"DATE_AFTER","value":"2999-01-01T00:00:00Z"}"#)).on())
  }

  @Test func semverOperatorsAndPrereleaseOrdering() throws {
    let cases: [(String, String, [String: Bool])] = [
      ("SEMVER_EQ", "1.2.3", ["1.2.3": true, "1.2.3+build.7": true, "1.2.4": false, "01.2.3": false, "v1.2.3": false]),
      ("SEMVER_GT", "2.0.0-alpha.1", ["2.0.0-alpha.2": true, "2.0.0-alpha.beta": true, "2.0.0-beta": true, "2.0.0": true, "2.0.0-alpha": false, "2.0.0-alpha.1": false]),
      ("SEMVER_LT", "1.0.0-alpha.beta", ["1.0.0-alpha": true, "1.0.0-alpha.1": true, "1.0.0-alpha.Beta": true, "1.0.0-beta": false]),
      ("SEMVER_GTE", "1.10.0", ["1.10.0": true, "1.9.99": false, "1.11.0-rc.1": true]),
      ("SEMVER_LTE", "1.0.0-rc.11", ["1.0.0-rc.2": true, "1.0.0-rc.11": true, "1.0.0-rc.12": false, "1.0.0": false]),
    ]
    for (op, value, answers) in cases {
      let state = try constrained(#"{"contextName":"p","operator":""# + op + #"","value":""# + value + #""}"#)
      for (input, expected) in answers {
        #expect(state.on("f", property(input)) == expected, "\(input) \(op) \(value)")
      }
    }
  }

  @Test func semverValueWithVIsFalseEvenInverted() throws {
    // yggdrasil and client specification 14: a `v` prefix makes the constraint false, inverted or not.
    let state = try constrained(#"{"contextName":"p","operator":"SEMVER_EQ","value":"v1.0.0","inverted":true}"#)
    #expect(!state.on("f", property("5.0.0")))
    #expect(state.warnings.isEmpty)
  }

  @Test func orderedOperatorsCompareByTheShapeOfTheValue() throws {
    // yggdrasil compiles the operator by the value's shape: SEMVER_GT "1.2" compares numbers.
    let state = try constrained(#"{"contextName":"p","operator":"SEMVER_GT","value":"1.2"}"#)
    #expect(state.on("f", property("5")))
    #expect(!state.on("f", property("2.0.0")))
  }

  @Test func cidrMatchesIPv4AndIPv6() throws {
    let state = try constrained(#"{"contextName":"remoteAddress","operator":"IN_CIDR","values":["bad","10.0.0.0/8","2001:db8::/32","::1"]}"#)
    func from(_ address: String) -> Context { Context(remoteAddress: address) }
    #expect(state.on("f", from("10.200.3.4")))
    #expect(!state.on("f", from("11.0.0.1")))
    #expect(state.on("f", from("2001:db8:0:1::42")))
    #expect(state.on("f", from("2001:0DB8::ffff")))
    #expect(!state.on("f", from("2001:db9::1")))
    #expect(state.on("f", from("0:0:0:0:0:0:0:1")))
    // yggdrasil: no leading zeros, no brackets, no zones, no mapping of IPv4 into IPv6.
    for refused in ["010.0.0.5", "[::1]", "fe80::1%eth0", "::ffff:10.0.0.5", "10.0.0.5 ", "10.0.0.5/32"] {
      #expect(!state.on("f", from(refused)), "\(refused)")
    }
  }

  @Test func cidrNetworksAcceptHostBitsAndPaddedPrefixes() throws {
    // yggdrasil (ipnetwork crate): "10.1.2.9/24" is the /24 network, "/08" is /8, "10/8" is refused.
    #expect((try constrained(#"{"contextName":"p","operator":"IN_CIDR","values":["10.1.2.9/24"]}"#)).on("f", property("10.1.2.200")))
    #expect((try constrained(#"{"contextName":"p","operator":"IN_CIDR","values":["10.1.2.3/08"]}"#)).on("f", property("10.9.9.9")))
    #expect(!(try constrained(#"{"contextName":"p","operator":"IN_CIDR","values":["10/8"]}"#)).on("f", property("10.9.9.9")))
    #expect((try constrained(#"{"contextName":"p","operator":"IN_CIDR","values":["::/0"]}"#)).on("f", property("2001:db8::1")))
  }

  @Test func regexConstraint() throws {
    let state = try constrained(#"{"contextName":"p","operator":"REGEX","value":"^user-\\d+$"}"#)
    #expect(state.on("f", property("user-42")))
    #expect(!state.on("f", property("user-x")))
    let insensitive = try constrained(#"{"contextName":"p","operator":"REGEX","value":"^abc$","caseInsensitive":true}"#)
    #expect(insensitive.on("f", property("ABC")))
    // yggdrasil: an invalid pattern is false, and true when inverted; it does not switch the flag off.
    #expect(!(try constrained(#"{"contextName":"p","operator":"REGEX","value":"(x"}"#)).on("f", property("x")))
    #expect((try constrained(#"{"contextName":"p","operator":"REGEX","value":"(x","inverted":true}"#)).on("f", property("x")))
  }

  @Test func propertiesStandInForMissingStandardFields() throws {
    // yggdrasil: a property named userId, sessionId, environment or remoteAddress is read when the
    // top-level field is absent; the top-level field wins when both are set.
    let state = try constrained(#"{"contextName":"userId","operator":"IN","values":["u"]}"#)
    #expect(state.on("f", Context(userId: "u")))
    #expect(state.on("f", Context(properties: ["userId": "u"])))
    #expect(!state.on("f", Context(userId: "v", properties: ["userId": "u"])))
    let app = try constrained(#"{"contextName":"appName","operator":"IN","values":["a"]}"#)
    #expect(!app.on("f", Context(properties: ["appName": "a"])), "appName is not among them")
  }
}
