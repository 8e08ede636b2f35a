import { performance } from 'node:perf_hooks'
import {
  appleOptionsFromEnv,
  createAppleTester,
  APPLE_OPERATIONS,
  mapAppleError,
  type AppleTester,
  type AppleTesterOptions,
} from '@notiprobe/apple'
import { isNotificationTestError, type ErrorKind } from '@notiprobe/core'
import type { VendorResponse } from '@notiprobe/core/adapter'
import {
  createSailPointTester,
  SAILPOINT_OPERATIONS,
  mapSailPointError,
  sailPointOptionsFromEnv,
  type SailPointTester,
  type SailPointTicket,
} from '@notiprobe/sailpoint'
import {
  startAppleSimulator,
  startSailPointSimulator,
  type AppleSimulator,
  type SailPointSimulator,
} from '@notiprobe/simulator'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { reportFigures, tally } from '../support/figures.js'
import { installProcessGuard, type ProcessGuard } from '../support/guard.js'

/**
 * Property-based tests (fast-check) over every public input of both adapters: options (as objects
 * and as environment variables), send inputs, call options, tickets, tokens, history requests and
 * template filters. Each input is built invalid in exactly one field; each must be refused with
 * `config` (settings) or `invalid_input` (call arguments), in a message that names the field, and
 * cause no request: the simulators count every request they receive. The CLI's arguments and config
 * files are covered in cli.test.ts.
 */

const RUNS = Number(process.env.NOTIPROBE_PROPERTY_RUNS ?? '150')
const SEED = 20_260_601
/** A marker in generated secrets: a message must never contain it. */
const SECRET_MARK = 'S3CR3T-MARK'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const BUNDLE_ID = /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/
const KEY_ID = /^[A-Z0-9]{10}$/
const TOKEN = /^[A-Za-z0-9._~-]{1,256}$/

/** Values of every JSON-ish kind but string. */
const nonString = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 2 }),
)
const nonBoolean = fc.oneof(fc.integer(), fc.string(), fc.constant(null), fc.array(fc.boolean()))
const nonFunction = fc.oneof(
  fc.integer(),
  fc.string(),
  fc.constant(null),
  fc.object({ maxDepth: 1 }),
)
/** Keys no options object knows. */
const unknownKey = fc.stringMatching(/^[a-z][A-Za-z0-9]{0,11}$/)
/** Invalid milliseconds: negative, too large, NaN, infinite, not numbers; fractions where whole. */
const badMilliseconds = (max: number, wholeOnly = true) =>
  fc.oneof(
    fc.integer({ max: -1 }),
    fc.double({ min: max + 1, max: 1e15, noNaN: true }).map(Math.ceil),
    ...(wholeOnly
      ? [fc.double({ min: 0.01, max: 1000, noNaN: true }).filter((n) => !Number.isInteger(n))]
      : [fc.double({ min: 0, max: 0.99, noNaN: true })]),
    fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, '1000', null, true),
  )
const notUrl = fc.oneof(
  nonString,
  fc.string({ maxLength: 20 }).filter((text) => !URL.canParse(text)),
  fc.webUrl().map((url) => url.replace(/^https?:/, 'http:')),
  fc.webUrl({ withFragments: true, withQueryParameters: true }).filter((url) => /[#?]/.test(url)),
  fc.webUrl().map((url) => url.replace('://', '://user:pw@')),
)
const notEmail = fc
  .string({ maxLength: 12 })
  .filter((text) => !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(text))

interface Refusal {
  readonly kind: ErrorKind
  /** Any of these in the message (the field, or the variable it came from). */
  readonly names: readonly string[]
}

describe('property-based: bad input is refused, named, and sends nothing', () => {
  let guard: ProcessGuard
  let apple: AppleSimulator
  let sailpoint: SailPointSimulator
  let appleTester: AppleTester
  let beta: SailPointTester
  let v1: SailPointTester
  const figures = {
    properties: 0,
    inputsTried: 0,
    refused: 0,
    byKind: {} as Record<string, number>,
    byField: {} as Record<string, number>,
    requestsCaused: 0,
    secretsEchoed: 0,
  }

  /** Fields the properties make invalid on purpose; any other name tallied is an unknown key. */
  const knownFields = new Set<string>(['token', 'ticket', 'key'])
  const requests = (): number =>
    apple.inspect().requests.length + sailpoint.inspect().requests.length

  beforeAll(async () => {
    guard = installProcessGuard()
    apple = await startAppleSimulator({ rateLimits: 'off' })
    sailpoint = await startSailPointSimulator({ rateLimits: 'off' })
    appleTester = createAppleTester(appleBase())
    beta = createSailPointTester(sailpointBase())
    v1 = createSailPointTester({ ...sailpointBase(), apiVersion: 'v1' })
  })

  afterAll(async () => {
    appleTester.close()
    beta.close()
    v1.close()
    figures.requestsCaused = requests()
    await apple.close()
    await sailpoint.close()
    guard.dispose()
    const byField: Record<string, number> = {}
    for (const [field, count] of Object.entries(figures.byField)) {
      tally(
        byField,
        knownFields.has(field) || /^[A-Z_]+$/.test(field) ? field : '(unknown key)',
        count,
      )
    }
    reportFigures('property-based input checks', {
      ...figures,
      byField,
      runsPerProperty: RUNS,
      seed: SEED,
      unhandledRejections: guard.unhandledRejections.length,
      processWarnings: guard.warnings.length,
    })
    expect(figures.requestsCaused).toBe(0)
    expect(figures.secretsEchoed).toBe(0)
    expect(guard.unhandledRejections).toEqual([])
    expect(guard.uncaughtExceptions).toEqual([])
    expect(guard.warnings).toEqual([])
  })

  function appleBase(): AppleTesterOptions {
    return {
      issuerId: apple.credentials.issuerId,
      keyId: apple.credentials.keyId,
      privateKey: apple.credentials.privateKeyPem,
      bundleId: apple.bundleId,
      environment: 'Sandbox',
      baseUrl: apple.baseUrl,
      rateLimits: 'off',
    }
  }

  function sailpointBase() {
    return {
      baseUrl: sailpoint.baseUrl,
      clientId: sailpoint.credentials.clientId,
      clientSecret: sailpoint.credentials.clientSecret,
    }
  }

  /** Runs `attempt`; it must fail with `refusal`, name the field, echo no secret, send nothing. */
  async function expectRefused(
    field: string,
    refusal: Refusal,
    attempt: () => unknown,
    tallyAs = field,
  ): Promise<void> {
    figures.inputsTried++
    const before = requests()
    let error: unknown
    try {
      const result = attempt()
      const made = result instanceof Promise ? ((await result) as unknown) : result
      ;(made as { close?: () => void } | undefined)?.close?.()
    } catch (caught) {
      error = caught
    }
    expect(requests() - before, `${field}: a request was sent`).toBe(0)
    expect(error, `${field}: accepted`).toBeDefined()
    if (!isNotificationTestError(error)) {
      throw new Error(`${field}: not a NotificationTestError: ${String(error)}`, { cause: error })
    }
    expect(error.kind, `${field}: ${error.message}`).toBe(refusal.kind)
    expect(
      refusal.names.some((name) => error.message.includes(name)),
      `${field}: the message does not name ${refusal.names.join(' or ')}: ${error.message}`,
    ).toBe(true)
    if (error.message.includes(SECRET_MARK)) figures.secretsEchoed++
    figures.refused++
    tally(figures.byKind, error.kind)
    tally(figures.byField, tallyAs)
  }

  /** One field of `fields` made invalid at a time, or an unknown key added. */
  function oneBadField(
    fields: Readonly<Record<string, fc.Arbitrary<unknown>>>,
  ): fc.Arbitrary<{ field: string; value: unknown; unknown: boolean }> {
    for (const field of Object.keys(fields)) knownFields.add(field)
    const named = Object.entries(fields).map(([field, arbitrary]) =>
      arbitrary.map((value) => ({ field, value, unknown: false })),
    )
    const extra = unknownKey
      .filter((key) => !(key in fields))
      .map((field) => ({ field, value: 1, unknown: true }))
    return fc.oneof(...named, extra)
  }

  async function check<T>(arbitrary: fc.Arbitrary<T>, predicate: (value: T) => Promise<void>) {
    figures.properties++
    await fc.assert(fc.asyncProperty(arbitrary, predicate), { numRuns: RUNS, seed: SEED })
  }

  it('Apple tester options', async () => {
    const fields: Record<string, fc.Arbitrary<unknown>> = {
      issuerId: fc.oneof(
        nonString,
        fc.string().filter((s) => !UUID.test(s.trim())),
      ),
      keyId: fc.oneof(
        nonString,
        fc.string().filter((s) => !KEY_ID.test(s.trim())),
      ),
      privateKey: fc.oneof(
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.constant(''),
        fc.object({ maxDepth: 1 }),
        fc
          .base64String({ minLength: 4, maxLength: 40 })
          .map(
            (body) =>
              `-----BEGIN PRIVATE KEY-----\n${SECRET_MARK}${body}\n-----END PRIVATE KEY-----`,
          ),
        fc.constantFrom('/nonexistent/AuthKey.p8', './missing.p8', '/', '.'),
      ),
      bundleId: fc.oneof(
        nonString,
        fc.string().filter((s) => !BUNDLE_ID.test(s.trim())),
        fc.stringMatching(/^[a-z]{156,170}$/),
      ),
      environment: fc.oneof(
        nonString,
        fc.string().filter((s) => s !== 'Sandbox' && s !== 'Production'),
      ),
      appAppleId: fc.oneof(
        fc.integer({ max: 0 }),
        fc.double({ min: 0.1, max: 1e6, noNaN: true }).filter((n) => !Number.isInteger(n)),
        fc.string(),
        fc.constant(2 ** 60),
      ),
      baseUrl: notUrl,
      rootCertificates: fc.oneof(
        fc.constant([]),
        fc.array(fc.string({ maxLength: 30 }), { minLength: 1, maxLength: 3 }),
        fc.array(fc.integer(), { minLength: 1, maxLength: 2 }),
        fc.string(),
        fc.integer(),
      ),
      timeoutMs: fc.oneof(badMilliseconds(3_600_000), fc.constant(0)),
      retry: fc.oneof(
        fc.string(),
        fc.integer(),
        fc.record({ maxAttempts: fc.oneof(fc.integer({ min: 11 }), fc.integer({ max: 0 })) }),
        fc.record({ baseDelayMs: badMilliseconds(60_000) }),
        fc.record({ maxRetryAfterMs: badMilliseconds(3_600_000) }),
        fc.dictionary(
          unknownKey.filter(
            (k) => !['maxAttempts', 'baseDelayMs', 'maxDelayMs', 'maxRetryAfterMs'].includes(k),
          ),
          fc.integer(),
          { minKeys: 1, maxKeys: 1 },
        ),
      ),
      rateLimits: fc.oneof(
        nonString,
        fc.string().filter((s) => s !== 'vendor' && s !== 'off'),
      ),
      clock: nonFunction,
      random: nonFunction,
      logger: nonFunction,
    }
    await check(oneBadField(fields), async ({ field, value, unknown }) => {
      await expectRefused(
        field,
        { kind: 'config', names: [field] },
        () => createAppleTester({ ...appleBase(), [field]: value }),
        unknown ? '(unknown key)' : field,
      )
      if (unknown) return
      // And with the field left out, where it is required.
      if (['issuerId', 'keyId', 'privateKey', 'bundleId', 'environment'].includes(field)) {
        const { [field as keyof AppleTesterOptions]: _dropped, ...rest } = appleBase()
        await expectRefused(field, { kind: 'config', names: [field] }, () =>
          createAppleTester(rest as AppleTesterOptions),
        )
      }
    })
  })

  it('Apple settings from the environment', async () => {
    const env = {
      APPLE_ISSUER_ID: apple.credentials.issuerId,
      APPLE_KEY_ID: apple.credentials.keyId,
      APPLE_PRIVATE_KEY: apple.credentials.privateKeyPem,
      APPLE_BUNDLE_ID: apple.bundleId,
      APPLE_ENVIRONMENT: 'Sandbox',
      APPLE_BASE_URL: apple.baseUrl,
    }
    const text = (pattern: RegExp) =>
      fc.string({ minLength: 1 }).filter((s) => s.trim() !== '' && !pattern.test(s.trim()))
    const variables: Record<string, fc.Arbitrary<unknown>> = {
      APPLE_ISSUER_ID: text(UUID),
      APPLE_KEY_ID: text(KEY_ID),
      APPLE_PRIVATE_KEY: fc
        .base64String({ minLength: 4, maxLength: 40 })
        .map((b) => `-----BEGIN PRIVATE KEY-----\n${SECRET_MARK}${b}\n-----END PRIVATE KEY-----`),
      APPLE_PRIVATE_KEY_FILE: fc.constantFrom(
        '/nonexistent/AuthKey.p8',
        '/',
        `-----BEGIN PRIVATE KEY-----${SECRET_MARK}`,
      ),
      APPLE_BUNDLE_ID: text(BUNDLE_ID),
      APPLE_ENVIRONMENT: text(/^(sandbox|production)$/i),
      APPLE_APP_APPLE_ID: text(/^\d{1,15}$/),
      APPLE_BASE_URL: fc.oneof(
        fc
          .string({ minLength: 1, maxLength: 20 })
          .filter((s) => s.trim() !== '' && !URL.canParse(s.trim())),
        fc.webUrl().map((url) => url.replace(/^https?:/, 'http:')),
      ),
      APPLE_ROOT_CERTIFICATES_FILE: fc.constantFrom('/nonexistent/roots.pem', '/'),
    }
    await check(
      fc.oneof(
        ...Object.entries(variables).map(([name, arbitrary]) =>
          arbitrary.map((value) => ({ name, value })),
        ),
      ),
      async ({ name, value }) => {
        const names = [name]
        await expectRefused(name, { kind: 'config', names }, () =>
          createAppleTester(appleOptionsFromEnv({ ...env, [name]: value as string })),
        )
        await expectRefused(name, { kind: 'config', names }, () =>
          appleOptionsFromEnv({ ...env, [name]: value as string }),
        )
      },
    )
  })

  it('Apple history requests', async () => {
    const now = Date.now()
    const base = { startDate: now - 3_600_000, endDate: now }
    const badDate = fc.oneof(
      fc.string(),
      fc.constant(null),
      fc.integer({ max: -1 }),
      fc.double({ min: 0.5, max: 1e12, noNaN: true }).filter((n) => !Number.isInteger(n)),
      fc.constant(new Date(Number.NaN)),
      fc.constant(8.64e15 + 1),
      fc.boolean(),
    )
    const fields: Record<string, fc.Arbitrary<unknown>> = {
      startDate: fc.oneof(
        badDate,
        fc.integer({ min: now + 60_000, max: now + 1e9 }),
        fc.integer({ min: 0, max: now - 31 * 86_400_000 }),
      ),
      endDate: fc.oneof(badDate, fc.integer({ min: 0, max: now - 3_600_000 })),
      notificationType: fc.oneof(
        nonString,
        fc.string().filter((s) => !/^[A-Z][A-Z0-9_]{0,63}$/.test(s)),
      ),
      notificationSubtype: fc.oneof(
        nonString,
        fc.string().filter((s) => !/^[A-Z][A-Z0-9_]{0,63}$/.test(s)),
        // Valid on its own, but needs notificationType.
        fc.constant('INITIAL_BUY'),
      ),
      transactionId: fc.oneof(
        nonString,
        fc.string().filter((s) => !/^\d{1,64}$/.test(s)),
      ),
      onlyFailures: nonBoolean,
    }
    await check(oneBadField(fields), async ({ field, value, unknown }) => {
      await expectRefused(
        field,
        { kind: 'invalid_input', names: [field] },
        () => appleTester.notificationHistory({ ...base, [field]: value }),
        unknown ? '(unknown key)' : field,
      )
    })
    // transactionId together with notificationType.
    await expectRefused('transactionId', { kind: 'invalid_input', names: ['transactionId'] }, () =>
      appleTester.notificationHistory({ ...base, transactionId: '1', notificationType: 'TEST' }),
    )
  })

  it('Apple tokens and tickets', async () => {
    const badToken = fc.oneof(
      nonString,
      fc.string({ maxLength: 300 }).filter((s) => !TOKEN.test(s.trim())),
      fc.stringMatching(/^[a-z]{257,270}$/),
    )
    await check(badToken, async (token) => {
      await expectRefused('token', { kind: 'invalid_input', names: ['token'] }, () =>
        appleTester.getTestNotificationStatus(token as string),
      )
    })
    const badTicket = fc.oneof(
      nonString,
      fc.record({
        vendor: fc.string().filter((s) => s !== 'apple'),
        id: fc.string(),
        requestedAt: fc.integer(),
      }),
      fc.record({ vendor: fc.constant('apple'), id: badToken, requestedAt: fc.integer() }),
      fc.record({
        vendor: fc.constant('apple'),
        id: fc.constant('abc'),
        requestedAt: fc.integer(),
        details: fc.record({ environment: fc.constant('Production') }),
      }),
    )
    await check(badTicket, async (ticket) => {
      await expectRefused('ticket', { kind: 'invalid_input', names: ['ticket', 'token'] }, () =>
        appleTester.check(ticket as never),
      )
    })
  })

  // Was DEFECT 3: the token check accepted the dot segments "." and "..", and URL normalisation
  // then sent the authenticated GET to /inApps/v1/notifications/test/ or /inApps/v1/notifications/.
  it('Apple tokens that are dot segments are refused (DEFECT 3)', async () => {
    for (const token of ['.', '..']) {
      await expectRefused('token', { kind: 'invalid_input', names: ['token'] }, () =>
        appleTester.getTestNotificationStatus(token),
      )
    }
  })

  // Was DEFECT 2: Apple's call options ({signal, timeoutMs}) were not checked: NaN, 0, negative or
  // string timeouts became a `timeout` error, 1e12 a TimeoutOverflowWarning, a signal that is not
  // an AbortSignal (or null options) a raw TypeError, unknown keys were ignored and the request sent.
  it('Apple call options (DEFECT 2)', async () => {
    const badOptions = oneBadField({
      timeoutMs: badMilliseconds(2 ** 31 - 1),
      signal: fc.oneof(fc.string(), fc.integer(), fc.object({ maxDepth: 0 })),
    })
    await check(badOptions, async ({ field, value }) => {
      await expectRefused(field, { kind: 'invalid_input', names: [field] }, () =>
        appleTester.send({ [field]: value }),
      )
    })
  })

  it('SailPoint tester options', async () => {
    const secretLike = fc
      .string({ maxLength: 10 })
      .chain((tail) =>
        fc.constantFrom(
          ` ${SECRET_MARK}${tail}`,
          `${SECRET_MARK} ${tail}`,
          `${SECRET_MARK}\u0000${tail}`,
        ),
      )
    const fields: Record<string, fc.Arbitrary<unknown>> = {
      tenant: fc.oneof(
        nonString,
        fc.string().filter((s) => !/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i.test(s)),
      ),
      baseUrl: notUrl,
      government: nonBoolean,
      clientId: fc.oneof(
        nonString,
        fc.constant(''),
        fc.string({ minLength: 1 }).map((s) => ` ${s}`),
        fc.stringMatching(/^[a-z]{257,260}$/),
      ),
      clientSecret: fc.oneof(nonString, fc.constant(''), secretLike),
      apiVersion: fc.oneof(
        nonString,
        fc.string().filter((s) => s !== 'beta' && s !== 'v1'),
      ),
      tokenUrl: fc.oneof(notUrl, fc.constant('http://localhost:1/oauth/token')),
      timeoutMs: badMilliseconds(600_000),
      retry: fc.oneof(
        fc.string(),
        fc.record({ maxAttempts: fc.oneof(fc.integer({ min: 11 }), fc.integer({ max: 0 })) }),
        fc.record({ bogus: fc.integer() }),
      ),
      rateLimit: fc.oneof(
        fc.string(),
        fc.record({ perSecond: fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: 1001 })) }),
        fc.record({ perSecond: fc.constant(1), burst: fc.integer({ max: 0 }) }),
      ),
      clock: nonFunction,
      random: nonFunction,
      logger: nonFunction,
    }
    await check(oneBadField(fields), async ({ field, value }) => {
      // With tenant given, baseUrl goes (one of the two); government: needs tenant.
      const options: Record<string, unknown> = { ...sailpointBase(), [field]: value }
      if (field === 'tenant') delete options.baseUrl
      await expectRefused(field, { kind: 'config', names: [field] }, () =>
        createSailPointTester(options as never),
      )
    })
  })

  it('SailPoint settings from the environment', async () => {
    const env = {
      SAIL_BASE_URL: sailpoint.baseUrl,
      SAIL_CLIENT_ID: sailpoint.credentials.clientId,
      SAIL_CLIENT_SECRET: sailpoint.credentials.clientSecret,
    }
    const variables: Record<string, fc.Arbitrary<string>> = {
      SAIL_TENANT: fc
        .string({ minLength: 1 })
        .filter((s) => !/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i.test(s)),
      SAIL_BASE_URL: fc.oneof(
        fc.string({ minLength: 1, maxLength: 20 }).filter((s) => !URL.canParse(s)),
        fc.webUrl().map((url) => url.replace(/^https?:/, 'http:')),
      ),
      SAIL_CLIENT_ID: fc.string({ minLength: 1 }).map((s) => `${s} `),
      SAIL_CLIENT_SECRET: fc.string({ maxLength: 8 }).map((s) => `${SECRET_MARK} ${s}`),
      SAIL_TOKEN_URL: fc.constantFrom(
        'http://localhost:1/oauth/token',
        'https://evil.com/oauth/token',
        'nope',
      ),
      SAIL_API_VERSION: fc.string({ minLength: 1 }).filter((s) => s !== 'beta' && s !== 'v1'),
    }
    await check(
      fc.oneof(
        ...Object.entries(variables).map(([name, arbitrary]) =>
          arbitrary.map((value) => ({ name, value })),
        ),
      ),
      async ({ name, value }) => {
        const given: Record<string, string> = { ...env, [name]: value }
        if (name === 'SAIL_TENANT') delete given.SAIL_BASE_URL
        await expectRefused(name, { kind: 'config', names: [name] }, () =>
          createSailPointTester(sailPointOptionsFromEnv(given, {})),
        )
      },
    )
  })

  it('SailPoint send inputs', async () => {
    const base = {
      key: 'cloud_manual_work_item_summary',
      medium: 'EMAIL',
      context: { numberOfPendingTasks: '1', taskTasks: 'task', ownerId: 'x' },
    }
    const emails = fc.oneof(
      nonString.filter((v) => !Array.isArray(v)),
      fc.constant([]),
      fc.array(notEmail, { minLength: 1, maxLength: 3 }),
      fc.constant(Array.from({ length: 101 }, (_, i) => `u${String(i)}@example.com`)),
    )
    const fields: Record<string, fc.Arbitrary<unknown>> = {
      key: fc.oneof(
        nonString,
        fc.constant(''),
        fc.string({ minLength: 1 }).filter((s) => !/^[A-Za-z0-9_.-]+$/.test(s)),
        fc.stringMatching(/^[a-z]{256,260}$/),
      ),
      medium: fc.oneof(
        nonString,
        fc.string().filter((s) => !['EMAIL', 'SLACK', 'TEAMS'].includes(s)),
      ),
      context: fc.oneof(
        fc.string(),
        fc.integer(),
        fc.array(fc.integer()),
        fc.constant(null),
        fc.constant({ n: Number.NaN }),
        fc.constant({ when: new Date() }),
        fc.constant({ big: 1n }),
        fc.constant({ f: () => 1 }),
        fc.constant({ deep: JSON.parse('['.repeat(200) + ']'.repeat(200)) as unknown }),
      ),
      locale: fc.oneof(
        nonString,
        fc.string().filter((s) => !/^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$/.test(s)),
      ),
      recipients: emails,
      recipientEmailList: emails,
      carbonCopy: emails,
      blindCarbonCopy: emails,
      preflight: nonBoolean,
      timeoutMs: badMilliseconds(2 ** 31 - 1, false),
      signal: fc.oneof(fc.string(), fc.integer(), fc.object({ maxDepth: 0 })),
    }
    await check(oneBadField(fields), async ({ field, value }) => {
      await expectRefused(field, { kind: 'invalid_input', names: [field] }, () =>
        v1.send({ ...base, [field]: value } as never),
      )
    })
    // Beta takes the locale and the address lists too (since 2026-03-20), checked the same way.
    const { locale, recipients, recipientEmailList, carbonCopy, blindCarbonCopy } = fields
    const betaFields = { locale, recipients, recipientEmailList, carbonCopy, blindCarbonCopy }
    await check(oneBadField(betaFields), async ({ field, value }) => {
      await expectRefused(field, { kind: 'invalid_input', names: [field] }, () =>
        beta.send({ ...base, medium: 'EMAIL', [field]: value } as never),
      )
    })
    await expectRefused('key', { kind: 'invalid_input', names: ['key'] }, () => beta.send())
  })

  it('SailPoint template filters, template checks, tickets and call options', async () => {
    const filters = oneBadField({
      key: fc.oneof(
        fc.integer(),
        fc.constant(''),
        fc.string({ minLength: 1 }).filter((s) => !/^[A-Za-z0-9_.-]+$/.test(s)),
        fc.constant([]),
        fc.constant(Array.from({ length: 51 }, (_, i) => `k${String(i)}`)),
      ),
      medium: fc.oneof(
        nonString,
        fc.string().filter((s) => !['EMAIL', 'SLACK', 'TEAMS'].includes(s)),
      ),
      locale: fc.oneof(
        nonString,
        fc.string().filter((s) => !/^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$/.test(s)),
      ),
    })
    await check(filters, async ({ field, value }) => {
      await expectRefused(field, { kind: 'invalid_input', names: [field] }, () =>
        beta.listTemplates({ [field]: value }),
      )
    })
    await check(
      fc.record({
        key: fc.oneof(
          fc.integer(),
          fc.string().filter((s) => !/^[A-Za-z0-9_.-]+$/.test(s)),
        ),
        medium: fc.constant('EMAIL'),
      }),
      async ({ key, medium }) => {
        await expectRefused('key', { kind: 'invalid_input', names: ['key'] }, () =>
          beta.checkTemplate(key as string, medium),
        )
      },
    )
    const tickets = oneBadField({
      vendor: fc.oneof(
        nonString,
        fc.string().filter((s) => s !== 'sailpoint'),
      ),
      id: fc.oneof(nonString, fc.constant('')),
      requestedAt: fc.oneof(fc.string(), fc.constant(null)),
      details: fc.oneof(nonString, fc.record({ key: fc.integer() })),
    })
    const ticket = {
      vendor: 'sailpoint',
      id: 'sailpoint-1',
      requestedAt: Date.now(),
      details: { key: 'k', medium: 'EMAIL', apiVersion: 'beta' },
    }
    await check(tickets, async ({ field, value, unknown }) => {
      if (unknown) return
      await expectRefused(field, { kind: 'invalid_input', names: [field] }, () =>
        beta.check({ ...ticket, [field]: value } as unknown as SailPointTicket),
      )
    })
    const callOptions = oneBadField({
      timeoutMs: badMilliseconds(2 ** 31 - 1, false),
      signal: fc.oneof(fc.string(), fc.integer(), fc.object({ maxDepth: 0 })),
    })
    await check(callOptions, async ({ field, value }) => {
      await expectRefused(field, { kind: 'invalid_input', names: [field] }, () =>
        beta.listTemplates(undefined, { [field]: value }),
      )
    })
  })
})

/**
 * Any text a vendor can send, at any size up to the transport's 10 MiB body limit, becomes a
 * NotificationTestError in time linear in its size. The text is a fragment repeated (fragments
 * of the patterns that once were quadratic are favoured: `eyJ`, `<`, `<script`, `Bearer `...),
 * as HTML or as the vendor's JSON error; the time is compared with the same size of plain text,
 * a ratio, never a clock.
 */
describe('any vendor text gives a typed error in linear time', () => {
  const BODY_LIMIT = 10 * 1024 * 1024
  const fragment = fc.oneof(
    fc.constantFrom(
      'eyJ',
      'eyJ.',
      '<',
      '<script',
      '<<>',
      'Bearer ',
      '-----BEGIN A-----',
      '%2',
      '&#',
      'authorization: ',
      '\\n',
      '\n',
    ),
    fc.string({ minLength: 1, maxLength: 8, unit: 'binary' }),
  )
  const size = fc.oneof(
    fc.integer({ min: 1024, max: 256 * 1024 }),
    fc.integer({ min: 256 * 1024, max: BODY_LIMIT }),
  )
  const shape = fc.constantFrom('html', 'apple-json', 'sailpoint-json')

  function response(kind: string, text: string): VendorResponse {
    const body =
      kind === 'html'
        ? text
        : kind === 'apple-json'
          ? JSON.stringify({ errorCode: 4000999, errorMessage: text })
          : JSON.stringify({
              detailCode: text.slice(0, 64),
              trackingId: text.slice(0, 64),
              messages: [{ text }],
              causes: [{ text }],
            })
    let json: unknown
    try {
      json = JSON.parse(body)
    } catch {
      json = undefined
    }
    return {
      status: 502,
      headers: { 'content-type': kind === 'html' ? 'text/html' : 'application/json' },
      body,
      json,
      retryAfterMs: undefined,
    }
  }

  function mapBoth(r: VendorResponse): number {
    const started = performance.now()
    for (const error of [
      mapAppleError(r, APPLE_OPERATIONS.getTestNotificationStatus),
      mapSailPointError(r, {
        operation: SAILPOINT_OPERATIONS.listTemplates,
        endpoint: 'api',
        apiVersion: 'beta',
        url: 'https://acme.api.identitynow.com/beta/notification-templates',
      }),
    ]) {
      expect(isNotificationTestError(error)).toBe(true)
      expect(error.message.length).toBeLessThan(5000)
    }
    return performance.now() - started
  }

  it('holds for fragments, sizes and shapes', () => {
    fc.assert(
      fc.property(fragment, size, shape, (unit, length, kind) => {
        const hostile = response(
          kind,
          unit.repeat(Math.ceil(length / unit.length)).slice(0, length),
        )
        const plain = response(kind, 'a'.repeat(length))
        const hostileMs = Math.min(mapBoth(hostile), mapBoth(hostile))
        const plainMs = Math.min(mapBoth(plain), mapBoth(plain))
        // Linear: hostile text costs a constant factor more than plain text of the same size at
        // most. A quadratic pattern costs size/1 KB times more: thousands at these sizes.
        expect(Math.max(hostileMs, 2) / Math.max(plainMs, 2)).toBeLessThan(50)
      }),
      { numRuns: Math.min(RUNS, 30), seed: SEED },
    )
  }, 120_000)
})
