import Testing

@testable import FlagEngine

// Expectations confirmed with yggdrasil-engine 2.0.0 (unleash-yggdrasil 0.21.5) and client specification 17.
@Suite struct DependencyTests {
  let state: FlagState

  init() throws {
    state = try compile(#"""
      {"features":[
        {"name":"parent","enabled":true,"strategies":[{"name":"default"}],
         "variants":[{"name":"pv1","weight":500},{"name":"pv2","weight":500}]},
        {"name":"off","enabled":false,"strategies":[{"name":"default"}]},
        {"name":"plain","enabled":true,"strategies":[{"name":"default"}]},
        {"name":"middle","enabled":true,"dependencies":[{"feature":"plain"}]},
        {"name":"child","enabled":true,"dependencies":[{"feature":"parent"}]},
        {"name":"needsOff","enabled":true,"dependencies":[{"feature":"off","enabled":false}]},
        {"name":"needsPv1","enabled":true,"dependencies":[{"feature":"parent","variants":["pv1"]}]},
        {"name":"variantsOfPlain","enabled":true,"dependencies":[{"feature":"plain","variants":["x"]}]},
        {"name":"orphan","enabled":true,"dependencies":[{"feature":"missing"}]},
        {"name":"orphanOff","enabled":true,"dependencies":[{"feature":"missing","enabled":false}]},
        {"name":"grandchild","enabled":true,"dependencies":[{"feature":"middle"}]},
        {"name":"self","enabled":true,"dependencies":[{"feature":"self"}]},
        {"name":"a","enabled":true,"dependencies":[{"feature":"b"}]},
        {"name":"b","enabled":true,"dependencies":[{"feature":"a"}]}
      ]}
      """#)
  }

  @Test func enabledParent() { #expect(state.on("child")) }
  @Test func disabledParentRequired() { #expect(state.on("needsOff")) }
  @Test func missingParentIsOffWhateverIsRequired() {
    #expect(!state.on("orphan"))
    #expect(!state.on("orphanOff"))
  }

  @Test func parentVariantMustBeListed() {
    for user in ["1", "2", "3", "4", "5", "6"] {
      let target = Murmur3.hash("parent:\(user)", seed: 86_028_157) % 1000 + 1
      #expect(state.on("needsPv1", Context(userId: user)) == (target <= 500), "user \(user)")
    }
  }

  @Test func variantListIgnoredWhenTheParentHasNoVariants() { #expect(state.on("variantsOfPlain")) }

  @Test func onlyOneLevelOfDependencies() {
    #expect(state.on("middle"))
    #expect(!state.on("grandchild"), "a parent with parents of its own is not allowed")
  }

  @Test func cyclesAreOffAndDoNotHang() {
    #expect(!state.on("self"))
    #expect(!state.on("a"))
    #expect(!state.on("b"))
  }
}
