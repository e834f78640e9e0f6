// swift-tools-version: 6.1
import PackageDescription

import class Foundation.FileManager
import class Foundation.ProcessInfo

// ROLLSIM_SYSTEM_MALLOC=1 builds rollsim on the C library's malloc instead of jemalloc, to compare the two
// (scripts/benchmarks.sh does, in its own --scratch-path .build-glibc). Allocation counts are then unavailable.
let linksJemalloc = ProcessInfo.processInfo.environment["ROLLSIM_SYSTEM_MALLOC"] == nil

// ROLLSIM_INTERNAL_CHECKS=1 checks both event queues whole after every insertion and removal (O(n) each:
// for hunting a bug, never for measuring), as swift-collections does with COLLECTIONS_INTERNAL_CHECKS.
let internalChecks = ProcessInfo.processInfo.environment["ROLLSIM_INTERNAL_CHECKS"] != nil

// MPI (the Partition module's ranks): ROLLSIM_MPI=1 builds with OpenMPI (and fails without it), ROLLSIM_MPI=0
// without. Unset, Rollsim builds with MPI when OpenMPI's pkg-config file, ompi-c.pc, is installed (Debian:
// libopenmpi-dev). SwiftPM caches this answer per environment: a checkout built before OpenMPI was installed
// keeps building without it until Package.swift changes (`touch Package.swift && swift build --manifest-cache
// none`, which scripts/bootstrap.sh does when it finds such a build). Without MPI, rollsim refuses to run as
// several ranks of mpirun or srun rather than run as so many copies writing the same files.
let mpiSetting = ProcessInfo.processInfo.environment["ROLLSIM_MPI"]
let buildsWithMPI = mpiSetting == "1" || (mpiSetting != "0" && openMPIInstalled())

/// Whether `ompi-c.pc` is in a folder pkg-config searches: PKG_CONFIG_PATH, the usual prefixes, and Debian's
/// multiarch folders (/usr/lib/x86_64-linux-gnu/pkgconfig).
func openMPIInstalled() -> Bool {
  let manager = FileManager.default
  var folders = (ProcessInfo.processInfo.environment["PKG_CONFIG_PATH"] ?? "").split(separator: ":").map(String.init)
  folders += ["/usr/lib/pkgconfig", "/usr/share/pkgconfig", "/usr/local/lib/pkgconfig", "/opt/homebrew/lib/pkgconfig"]
  folders += ((try? manager.contentsOfDirectory(atPath: "/usr/lib")) ?? []).filter { $0.hasSuffix("-linux-gnu") }
    .map { "/usr/lib/\($0)/pkgconfig" }
  return folders.contains { manager.fileExists(atPath: "\($0)/ompi-c.pc") }
}

let strict: [SwiftSetting] = [
  .swiftLanguageMode(.v6),
  .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
  name: "Rollsim",
  platforms: [.macOS(.v15)],
  products: [
    .library(name: "FlagEngine", targets: ["FlagEngine"]),
    .library(name: "Simulation", targets: ["Simulation"]),
    .library(name: "Rollout", targets: ["Rollout"]),
    .executable(name: "rollsim", targets: ["rollsim"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
  ],
  targets: [
    // Unleash-compatible evaluation. Foundation only: usable on its own.
    .target(name: "FlagEngine", swiftSettings: strict),
    // The discrete-event kernel: integer time, the event queue, the run loop, random streams.
    .target(name: "Simulation", swiftSettings: strict + (internalChecks ? [.define("ROLLSIM_INTERNAL_CHECKS")] : [])),
    // How flag states reach devices: sync models, retry rules, the servers of the API and the edges with their
    // capacity and queue, the capacity section's schema. Shared by fleet runs and capacity plans.
    .target(name: "Delivery", dependencies: ["FlagEngine", "Simulation", "Telemetry"], swiftSettings: strict),
    // Devices, their activity, the faults, what they report, and how they meet the delivery path's servers.
    .target(name: "Fleet", dependencies: ["FlagEngine", "Telemetry", "Simulation", "Delivery"], swiftSettings: strict),
    // Release policies: plans and milestones, gates, safeguards, kill switches, the controller and its audit trail.
    .target(name: "Rollout", dependencies: ["FlagEngine", "Telemetry", "Simulation"], swiftSettings: strict),
    // Scenario files, building a world from them, running each policy and sweep, and the result files.
    .target(
      name: "Scenario",
      dependencies: [
        "FlagEngine", "Telemetry", "Simulation", "Delivery", "Fleet", "Rollout", "Partition", .product(name: "Yams", package: "Yams"),
      ],
      swiftSettings: strict),
    // Capacity plans of the delivery path: requests, bandwidth, what saturates first, instances and cores per tier.
    .target(
      name: "Capacity", dependencies: ["FlagEngine", "Telemetry", "Simulation", "Delivery", "Fleet", "Scenario", "Partition"],
      swiftSettings: strict),
    // The self-contained HTML pages (runs, sweeps, capacity plans), their SVG charts, and the tables for people.
    .target(
      name: "Report", dependencies: ["Scenario", "Capacity", "Delivery", "Rollout", "Fleet", "FlagEngine", "Telemetry"],
      swiftSettings: strict),
    // Windowed, mergeable outcome aggregates: what devices report and gates read.
    .target(name: "Telemetry", dependencies: ["Simulation", .product(name: "Histogram", package: "hdrhistogram-swift")], swiftSettings: strict),
    // Splitting work over partitions and exchanging what couples them: threads, or MPI ranks.
    .target(
      name: "Partition", dependencies: buildsWithMPI ? ["CMPI"] : [],
      swiftSettings: strict + (buildsWithMPI ? [.define("ROLLSIM_MPI")] : [])),
    // jemalloc, the rollsim binary's allocator on Linux; its statistics count allocations in benchmarks.
    .systemLibrary(name: "CJemalloc", pkgConfig: "jemalloc", providers: [.apt(["libjemalloc-dev"])]),
    .executableTarget(
      name: "rollsim",
      dependencies: [
        "FlagEngine", "Simulation", "Delivery", "Fleet", "Telemetry", "Rollout", "Scenario", "Capacity", "Report",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        "Partition",
      ] + (linksJemalloc ? [.target(name: "CJemalloc", condition: .when(platforms: [.linux]))] : []),
      swiftSettings: strict
    ),
    // Exports/ holds JSON the tests read by path.
    .testTarget(name: "FlagEngineTests", dependencies: ["FlagEngine"], exclude: ["Exports"], swiftSettings: strict),
    .testTarget(name: "TelemetryTests", dependencies: ["Telemetry", "Simulation"], swiftSettings: strict),
    .testTarget(name: "SimulationTests", dependencies: ["Simulation"], swiftSettings: strict),
    .testTarget(name: "PartitionTests", dependencies: ["Partition"], swiftSettings: strict),
    .testTarget(name: "DeliveryTests", dependencies: ["Delivery", "Simulation", "Telemetry"], swiftSettings: strict),
    .testTarget(name: "FleetTests", dependencies: ["Fleet", "Delivery"], swiftSettings: strict),
    .testTarget(name: "RolloutTests", dependencies: ["Rollout", "FlagEngine", "Telemetry", "Simulation"], swiftSettings: strict),
    .testTarget(
      name: "ScenarioTests", dependencies: ["Scenario", "Rollout", "Fleet", "Delivery", .product(name: "Yams", package: "Yams")],
      swiftSettings: strict),
    .testTarget(name: "CapacityTests", dependencies: ["Capacity", "Scenario", "Fleet", "Delivery"], swiftSettings: strict),
    // Runs the built rollsim: command-line behaviour and the differential test against yggdrasil.
    .testTarget(name: "ReportTests", dependencies: ["Report", "Scenario", "Capacity", "Rollout", "Fleet"], swiftSettings: strict),
    .testTarget(name: "rollsimTests", dependencies: ["rollsim"], swiftSettings: strict),
  ]
)

// OpenMPI's C API (a shim returns the handles that are macros in C); only in a build with MPI, so that a build
// without it does not look for OpenMPI at all.
if buildsWithMPI {
  package.targets.append(
    .systemLibrary(name: "CMPI", pkgConfig: "ompi-c", providers: [.apt(["libopenmpi-dev"]), .brew(["open-mpi"])]))
}

// ROLLSIM_FUZZ=1 adds the libFuzzer targets of Fuzz/ (scripts/fuzz.sh builds them with --sanitize=fuzzer in
// .build-fuzz). They have no main of their own, libFuzzer's, so an ordinary build must not see them.
if ProcessInfo.processInfo.environment["ROLLSIM_FUZZ"] != nil {
  for (name, dependency) in [
    ("FuzzClientFeatures", "FlagEngine"), ("FuzzDelta", "FlagEngine"), ("FuzzEvalCase", "FlagEngine"),
    ("FuzzScenario", "Scenario"), ("FuzzRegex", "FlagEngine"),
  ] {
    package.targets.append(
      .executableTarget(name: name, dependencies: [.target(name: dependency)], path: "Fuzz/\(name)", swiftSettings: strict))
  }
}
