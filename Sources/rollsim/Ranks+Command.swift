import Foundation
import Partition

/// A command that spreads its work over the ranks a launcher started (`mpirun -np 4 rollsim sweep ...`).
/// Any other command, started as one of several processes, is refused: it would run as so many copies.
protocol SpreadsOverRanks {}

extension SweepCommand: SpreadsOverRanks {}
extension CapacityCommand: SpreadsOverRanks {}
extension RunCommand: SpreadsOverRanks {}

/// An error already reported (by the leader, for every rank): exit with this status and say nothing more.
struct Stopped: Error {
  let status: Int32
}

extension Ranks {
  /// Joins the ranks the launcher of this process started (one, when started alone). A build without MPI
  /// started as several ranks, or ranks that MPI does not join, are refused with exit status 2.
  static func start() throws -> Ranks {
    do {
      return try start(Launcher(environment: ProcessInfo.processInfo.environment))
    } catch {
      throw Failure(message: error.message, status: 2)
    }
  }

  /// Runs `body` on every rank, then lets every rank know whether it failed on any: for what is checked
  /// before the work (the scenario, the options, the output folder). If it failed anywhere, the leader
  /// reports each distinct message once (naming the ranks when not all of them failed alike), and every
  /// rank stops with the highest status: a refusal all ranks find is said once, and a problem only one
  /// rank has (a file it cannot read on its node) stops them all. Alone, `body` runs as it is.
  func together<T>(_ body: () throws -> T) throws -> T {
    let outcome: Result<T, any Error>
    do { outcome = .success(try body()) } catch { outcome = .failure(error) }
    guard count > 1 else { return try outcome.get() }
    var mine: [UInt8] = []
    if case .failure(let error) = outcome {
      let (message, status) = Rollsim.report(for: error)
      mine = Array("\(status)\n\(message)".utf8)
    }
    var verdict: Int32 = 0
    if let all = gather(mine) {
      var failures: [(rank: Int, status: Int32, message: String)] = []
      for (rank, bytes) in all.enumerated() where !bytes.isEmpty {
        let text = String(decoding: bytes, as: UTF8.self)
        let parts = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
        failures.append((rank, Int32(parts[0]) ?? 1, parts.count > 1 ? String(parts[1]) : ""))
      }
      var said: [String] = []
      for failure in failures where !said.contains(failure.message) {
        said.append(failure.message)
        let ranks = failures.filter { $0.message == failure.message }.map(\.rank)
        // Every rank alike, or the leader alone (what only it checks: the output folder): no ranks named.
        let prefix = ranks.count == count || ranks == [0] ? "" : "\(ranks.count == 1 ? "rank" : "ranks") \(ranks.map(String.init).joined(separator: ", ")) of \(count): "
        if !failure.message.isEmpty { Diagnostics.error(prefix + failure.message) }
      }
      verdict = failures.map(\.status).max() ?? 0
    }
    let status = broadcast(withUnsafeBytes(of: verdict.littleEndian) { Array($0) })
    let agreed = status.withUnsafeBytes { Int32(littleEndian: $0.loadUnaligned(as: Int32.self)) }
    if agreed != 0 { throw Stopped(status: agreed) }
    return try outcome.get()
  }

  /// Runs a part of the work in which the ranks exchange. If it fails on one rank, the others would wait
  /// for it forever: the failure ends every rank (``abort(_:status:)``), with its message. Alone, the
  /// error is thrown as usual.
  func work<T>(_ body: () throws -> T) throws -> T {
    guard count > 1 else { return try body() }
    do {
      return try body()
    } catch {
      let (message, status) = Rollsim.report(for: error)
      abort(message, status: status)
    }
  }
}
