import { defineOperations } from '@notiprobe/core/adapter'

/** Every Apple operation: its name in errors and logs, and the words its messages start with. */
export const APPLE_OPERATIONS = defineOperations('apple', {
  createAppleTester: 'Creating the Apple tester',
  fromEnv: 'Reading the Apple settings from the environment',
  requestTestNotification: 'Requesting the Apple test notification',
  getTestNotificationStatus: 'Getting the Apple test notification status',
  check: 'Checking the Apple test notification',
  getNotificationHistory: 'Reading the Apple notification history',
  initiatePerformanceTest: 'Starting the Apple performance test',
  getPerformanceTestResults: 'Getting the Apple performance test results',
  waitForPerformanceTest: 'Waiting for the Apple performance test',
})
