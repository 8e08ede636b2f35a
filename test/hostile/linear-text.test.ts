import { APPLE_OPERATIONS, mapAppleError } from '@notiprobe/apple'
import { NotificationTestError, redact } from '@notiprobe/core'
import type { VendorResponse } from '@notiprobe/core/adapter'
import {
  SAILPOINT_OPERATIONS,
  createSailPointTester,
  mapSailPointError,
} from '@notiprobe/sailpoint'
import { afterEach, describe, expect, it } from 'vitest'
import {
  KB,
  MIB,
  answer,
  appleTester,
  hostileText,
  medianMs,
  startHostileVendor,
  typedFailure,
  type HostileVendor,
} from './hostile-vendor.js'

/**
 * Defect class 1 (and the root cause of 2): every pattern that runs on text from outside is linear,
 * and a message quotes an excerpt cut before any processing. Timed as ratios between sizes, never
 * against a clock: linear growth from 1 KB to 100 KB to 10 MiB is about 100× per step; the
 * quadratic patterns this replaces grew 10 000× per step (100 KB of `eyJ` took 3.6 s, 10 MiB hours).
 */

function response(body: string, contentType: string): VendorResponse {
  let json: unknown
  try {
    json = JSON.parse(body)
  } catch {
    json = undefined
  }
  return {
    status: 502,
    headers: { 'content-type': contentType },
    body,
    json,
    retryAfterMs: undefined,
  }
}

const sailpointContext = {
  operation: SAILPOINT_OPERATIONS.sendTestNotification,
  endpoint: 'api',
  apiVersion: 'beta',
  url: 'https://acme.api.identitynow.com/beta/send-test-notification',
} as const

/** Each case builds its input once per size (outside the timing) and returns the work to time. */
const CASES: Record<string, (size: number) => () => unknown> = {
  'redact(eyJ…)': (size) => {
    const text = hostileText('eyJ', size)
    return () => redact(text)
  },
  'redact(eyJ.…)': (size) => {
    const text = hostileText('eyJ.', size)
    return () => redact(text)
  },
  'redact(<<<…)': (size) => {
    const text = hostileText('<', size)
    return () => redact(text)
  },
  'new NotificationTestError(eyJ… message)': (size) => {
    const message = hostileText('eyJ', size)
    return () =>
      new NotificationTestError({ vendor: 'x', operation: 'x.y', kind: 'vendor_error', message })
  },
  'mapAppleError(<<<… HTML body)': (size) => {
    const r = response(hostileText('<', size), 'text/html')
    return () => mapAppleError(r, APPLE_OPERATIONS.getTestNotificationStatus)
  },
  'mapAppleError(eyJ… errorMessage)': (size) => {
    const r = response(
      JSON.stringify({ errorCode: 1, errorMessage: hostileText('eyJ', size) }),
      'application/json',
    )
    return () => mapAppleError(r, APPLE_OPERATIONS.getTestNotificationStatus)
  },
  'mapSailPointError(<script… body)': (size) => {
    const r = response(hostileText('<script', size), 'text/html')
    return () => mapSailPointError(r, sailpointContext)
  },
  'mapSailPointError(eyJ… messages)': (size) => {
    const r = response(
      JSON.stringify({ detailCode: 'x', messages: [{ text: hostileText('eyJ', size) }] }),
      'application/json',
    )
    return () => mapSailPointError(r, sailpointContext)
  },
}

/**
 * Linear is 100× per step; quadratic 10 000×. A quarter of quadratic leaves room for a busy
 * machine and for the garbage collector, which works harder on 10 MiB than on 100 KB.
 */
const MAX_STEP_RATIO = 2500
/** Times below this are noise, not growth. */
const FLOOR_MS = 0.5

describe('text from outside is processed in linear time', () => {
  for (const [name, make] of Object.entries(CASES)) {
    it(`${name}: 1 KB → 100 KB → 10 MiB grows linearly`, () => {
      const small = medianMs(make(KB))
      const medium = medianMs(make(100 * KB))
      // Checked before the 10 MiB run: a quadratic pattern would hold the process for hours there.
      expect(Math.max(medium, FLOOR_MS) / Math.max(small, FLOOR_MS)).toBeLessThan(MAX_STEP_RATIO)
      const large = medianMs(make(10 * MIB), 3)
      expect(Math.max(large, FLOOR_MS) / Math.max(medium, FLOOR_MS)).toBeLessThan(MAX_STEP_RATIO)
    }, 60_000)
  }

  it('an error quotes a bounded excerpt, redacted, whatever the vendor sent', () => {
    const error = mapAppleError(
      response(
        JSON.stringify({
          errorCode: 1,
          errorMessage: `${'x'.repeat(500)} eyJa.eyJb.sig ${'y'.repeat(MIB)}`,
        }),
        'application/json',
      ),
      APPLE_OPERATIONS.getTestNotificationStatus,
    )
    expect(error.message.length).toBeLessThan(1000)
    expect(error.vendorMessage?.length).toBeLessThan(1100)
    expect(JSON.stringify(error)).not.toContain('eyJa.eyJb')
    const huge = new NotificationTestError({
      vendor: 'x',
      operation: 'x.y',
      kind: 'vendor_error',
      message: `${'m'.repeat(3990)} eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln-and-more`,
    })
    // A JWT straddling the cut is redacted whole, not left half visible.
    expect(huge.message).not.toContain('eyJhbGciOiJIUzI1NiJ9')
    expect(huge.message).toContain('more characters]')
  })
})

describe('a vendor sending 10 MiB of hostile text gets a typed error within the deadline', () => {
  let vendor: HostileVendor | undefined
  afterEach(async () => {
    await vendor?.close()
    vendor = undefined
  })

  const TIMEOUT_MS = 5000
  /** Reading 10 MiB over loopback and building the error; generous for a loaded machine. */
  const MARGIN_MS = 3000

  it('Apple: 502 with 10 MiB of <<<', async () => {
    vendor = await startHostileVendor((_req, res) =>
      answer(res, 502, hostileText('<', 10 * MIB - 1024), { 'content-type': 'text/html' }),
    )
    const tester = appleTester(vendor.url)
    const { error, ms } = await typedFailure(
      tester.getTestNotificationStatus('4a1e8c2f-2d6e-4b8e-9f3e-5d3a1b2c3d4e', {
        timeoutMs: TIMEOUT_MS,
      }),
    )
    tester.close()
    expect(error).toMatchObject({ kind: 'vendor_error', httpStatus: 502 })
    expect(ms).toBeLessThan(TIMEOUT_MS + MARGIN_MS)
  })

  it('Apple: 400 with an errorMessage of 10 MiB of eyJ', async () => {
    const body = JSON.stringify({
      errorCode: 4000999,
      errorMessage: hostileText('eyJ', 10 * MIB - 1024),
    })
    vendor = await startHostileVendor((_req, res) => answer(res, 400, body))
    const tester = appleTester(vendor.url)
    const { error, ms } = await typedFailure(
      tester.getTestNotificationStatus('4a1e8c2f-2d6e-4b8e-9f3e-5d3a1b2c3d4e', {
        timeoutMs: TIMEOUT_MS,
      }),
    )
    tester.close()
    expect(error).toMatchObject({ kind: 'invalid_input', vendorCode: 4000999 })
    expect(error.message.length).toBeLessThan(2000)
    expect(ms).toBeLessThan(TIMEOUT_MS + MARGIN_MS)
  })

  it('SailPoint: the token endpoint answers 502 with 10 MiB of <script', async () => {
    vendor = await startHostileVendor((_req, res) =>
      answer(res, 502, hostileText('<script', 10 * MIB - 1024), { 'content-type': 'text/html' }),
    )
    const tester = createSailPointTester({
      baseUrl: vendor.url,
      tokenUrl: `${vendor.url}/oauth/token`,
      clientId: 'hostile-client',
      clientSecret: 'hostile-client-secret-value',
      apiVersion: 'beta',
      retry: { maxAttempts: 1 },
    })
    const { error, ms } = await typedFailure(tester.listTemplates({}, { timeoutMs: TIMEOUT_MS }))
    tester.close()
    expect(error).toMatchObject({ kind: 'vendor_error', httpStatus: 502 })
    expect(ms).toBeLessThan(TIMEOUT_MS + MARGIN_MS)
  })
})
