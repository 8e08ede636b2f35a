/**
 * @notiprobe/core/testing: what adapter and application tests share: a fake clock, assertions on
 * the rejected NotificationTestError, and a misbehaving vendor on loopback.
 */
export { FakeClock, type FakeClockOptions } from './testing/fake-clock.js'
export { rejectionOf, thrownBy } from './testing/rejections.js'
export {
  refusedPort,
  startMisbehavingVendor,
  startVendorServer,
  type ReceivedRequest,
  type VendorScript,
  type VendorServer,
} from './testing/misbehaving-vendor.js'
