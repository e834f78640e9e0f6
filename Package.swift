// swift-tools-version: 6.1
import PackageDescription

let strict: [SwiftSetting] = [
  .swiftLanguageMode(.v6),
  .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
  name: "Rollsim",
  platforms: [.macOS(.v15)],
  products: [
    .library(name: "FlagEngine", targets: ["FlagEngine"]),
    .executable(name: "rollsim", targets: ["rollsim"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
  ],
  targets: [
    // Unleash-compatible evaluation. Foundation only: usable on its own.
    .target(name: "FlagEngine", swiftSettings: strict),
    // Windowed, mergeable outcome aggregates: what devices report and gates read.
    .target(name: "Telemetry", dependencies: [.product(name: "Histogram", package: "hdrhistogram-swift")], swiftSettings: strict),
    // jemalloc, the rollsim binary's allocator on Linux; its statistics count allocations in benchmarks.
    .systemLibrary(name: "CJemalloc", pkgConfig: "jemalloc", providers: [.apt(["libjemalloc-dev"])]),
    .executableTarget(
      name: "rollsim",
      dependencies: [
        "FlagEngine",
        .target(name: "CJemalloc", condition: .when(platforms: [.linux])),
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: strict
    ),
    .testTarget(name: "FlagEngineTests", dependencies: ["FlagEngine"], swiftSettings: strict),
    .testTarget(name: "TelemetryTests", dependencies: ["Telemetry"], swiftSettings: strict),
    // Runs the built rollsim: command-line behaviour and the differential test against yggdrasil.
    .testTarget(name: "rollsimTests", dependencies: ["rollsim"], swiftSettings: strict),
  ]
)
