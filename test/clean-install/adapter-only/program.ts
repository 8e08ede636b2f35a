// A user's program that installs one adapter and nothing else: its types, and core's (which
// reference zod), must resolve from what that install brings.
import { createAppleTester } from '@notiprobe/apple'
import { isNotificationTestError } from '@notiprobe/core'

try {
  createAppleTester({
    issuerId: '',
    keyId: '',
    privateKey: '',
    bundleId: '',
    environment: 'Sandbox',
  })
  throw new Error('empty Apple options were accepted')
} catch (error) {
  if (!isNotificationTestError(error) || error.kind !== 'config') throw error
  console.log(`adapter only: ${error.kind} refusal, as expected`)
}
