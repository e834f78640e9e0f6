/// Owns the device records of a run, in huge pages (they are read at random, one per event).
final class DeviceTable: @unchecked Sendable {
  let records: UnsafeMutablePointer<DeviceRecord>
  /// The devices it holds (a block of the fleet); `records[i]` is device `devices.lowerBound + i`.
  let devices: Range<Int>

  init(fleet: Fleet, susceptible: FleetColumn<UInt8>, devices: Range<Int>) {
    self.devices = devices
    records = HugePages.allocate(DeviceRecord.self, count: max(devices.count, 1))
    for device in devices {
      (records + (device - devices.lowerBound)).initialize(to: DeviceRecord(
        sessionsPerDay: fleet.sessionsPerDay[device], sessionCount: 0, quietSince: 0, since: 0,
        attributes: DeviceAttributes(fleet, device), quietArm: 0, version: 0, bootsFailed: 0,
        syncModel: fleet.syncModel[device], susceptible: susceptible[device], arm: 0, status: .online, flags: [],
        stuck: 0))
    }
  }

  deinit { HugePages.free(records) }
}
