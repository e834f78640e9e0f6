/// Owns the device records of a run, in huge pages (they are read at random, one per event).
final class DeviceTable: @unchecked Sendable {
  let records: UnsafeMutablePointer<DeviceRecord>
  let count: Int

  init(fleet: Fleet, susceptible: [UInt8]) {
    count = fleet.count
    records = HugePages.allocate(DeviceRecord.self, count: max(count, 1))
    for device in 0..<count {
      (records + device).initialize(to: DeviceRecord(
        sessionsPerDay: fleet.sessionsPerDay[device], sessionCount: 0, quietSince: 0, since: 0,
        attributes: DeviceAttributes(fleet, device), quietArm: 0, version: 0, bootsFailed: 0,
        syncModel: fleet.syncModel[device], susceptible: susceptible[device], arm: 0, status: .online, flags: [],
        stuck: 0))
    }
  }

  deinit { HugePages.free(records) }
}
