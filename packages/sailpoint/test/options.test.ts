import { describe, expect, it } from 'vitest'
import { createSailPointTester, sailPointOptionsFromEnv } from '../src/index.js'
import { resolveOptions } from '../src/options.js'
import { thrownBy } from '@notiprobe/core/testing'

const credentials = { clientId: 'client-1', clientSecret: 'unit-test-secret-0123' }
const PREFIX = 'Invalid SailPoint tester options: '
const DNS_RULE =
  'must be a DNS label: 1 to 63 letters, digits or hyphens, not starting or ending with a hyphen (e.g. "acme" for https://acme.api.identitynow.com)'

function configMessage(options: unknown): string {
  const error = thrownBy(() => createSailPointTester(options as never))
  expect(error.kind).toBe('config')
  expect(error.vendor).toBe('sailpoint')
  expect(error.operation).toBe('sailpoint.configure')
  expect(error.retryable).toBe(false)
  return error.message
}

describe('tenant', () => {
  it('becomes the tenant API host, lower-cased', () => {
    const tester = createSailPointTester({ tenant: 'Acme-Corp1', ...credentials })
    expect(tester.baseUrl).toBe('https://acme-corp1.api.identitynow.com')
    expect(tester.tokenUrl).toBe('https://acme-corp1.api.identitynow.com/oauth/token')
    expect(tester.apiVersion).toBe('beta')
    expect(tester.vendor).toBe('sailpoint')
  })

  it('of a government tenant is on identitynowgov.com', () => {
    const tester = createSailPointTester({ tenant: 'agency', government: true, ...credentials })
    expect(tester.baseUrl).toBe('https://agency.api.identitynowgov.com')
  })

  it('accepts the longest DNS label and a single character', () => {
    expect(createSailPointTester({ tenant: 'a'.repeat(63), ...credentials }).baseUrl).toBe(
      `https://${'a'.repeat(63)}.api.identitynow.com`,
    )
    expect(createSailPointTester({ tenant: '7', ...credentials }).baseUrl).toBe(
      'https://7.api.identitynow.com',
    )
  })

  it.each([
    'evil.com#',
    '169.254.169.254/x#',
    'user@evil',
    'acme@evil.com',
    'evil.com/',
    'evil.com?',
    'evil%2ecom',
    'evil%2Ecom%23',
    'acme:443',
    '-acme',
    'acme-',
    'ac me',
    'acme\n',
    'acmé',
    'a'.repeat(64),
    '',
    '..',
    '127.0.0.1',
    '[::1]',
    'xn--',
  ])('refuses the hostile or malformed tenant %j', (tenant) => {
    const shown = JSON.stringify(tenant.length > 70 ? `${tenant.slice(0, 70)}…` : tenant)
    const message = configMessage({ tenant, ...credentials })
    expect(message.startsWith(`${PREFIX}tenant: ${DNS_RULE}; got ${shown}`)).toBe(true)
  })

  it('suggests baseUrl when a host name is given as the tenant', () => {
    expect(configMessage({ tenant: 'acme.api.identitynow.com', ...credentials })).toBe(
      `${PREFIX}tenant: ${DNS_RULE}; got "acme.api.identitynow.com". Give the tenant name only, or the full URL as baseUrl`,
    )
  })
})

describe('baseUrl', () => {
  it('accepts https and loopback http, without a trailing slash', () => {
    expect(
      createSailPointTester({ baseUrl: 'https://acme.identitynow.example/', ...credentials })
        .baseUrl,
    ).toBe('https://acme.identitynow.example')
    const local = createSailPointTester({ baseUrl: 'http://127.0.0.1:8080', ...credentials })
    expect(local.baseUrl).toBe('http://127.0.0.1:8080')
    expect(local.tokenUrl).toBe('http://127.0.0.1:8080/oauth/token')
  })

  it.each([
    [
      'http://evil.example',
      'must use https; http is allowed only on loopback (127.0.0.1, ::1, localhost)',
    ],
    [
      'http://169.254.169.254',
      'must use https; http is allowed only on loopback (127.0.0.1, ::1, localhost)',
    ],
    ['https://user:pass@acme.api.identitynow.com', 'must not contain user info (user:password@)'],
    [
      'https://acme.api.identitynow.com@evil.example',
      'must not contain user info (user:password@)',
    ],
    ['https://evil.example#@acme.api.identitynow.com', 'must not contain a query or fragment'],
    ['https://acme.api.identitynow.com/?next=https://evil', 'must not contain a query or fragment'],
    ['https://acme.api.identitynow.com#', 'must not contain a query or fragment'],
    ['ftp://acme.api.identitynow.com', 'must use https (got ftp)'],
    ['file:///etc/passwd', 'must use https (got file)'],
    ['javascript:alert(1)', 'must use https (got javascript)'],
    ['acme.api.identitynow.com', 'is not a valid URL: expected e.g. https://api.example.com'],
    [
      'https://acme.api.identitynow.com/beta',
      'must be the API host without a version path (got https://acme.api.identitynow.com/beta); notiprobe adds /beta or /v1 itself, e.g. https://acme.api.identitynow.com',
    ],
    [
      'https://acme.api.identitynow.com/v3/',
      'must be the API host without a version path (got https://acme.api.identitynow.com/v3); notiprobe adds /beta or /v1 itself, e.g. https://acme.api.identitynow.com',
    ],
  ])('refuses %s', (baseUrl, problem) => {
    expect(configMessage({ baseUrl, ...credentials })).toBe(`${PREFIX}baseUrl: ${problem}`)
  })

  it('takes exactly one of tenant and baseUrl', () => {
    expect(configMessage({ ...credentials })).toBe(
      `${PREFIX}give tenant (e.g. "acme") or baseUrl (e.g. https://acme.api.identitynow.com)`,
    )
    expect(configMessage({ tenant: 'acme', baseUrl: 'https://acme.example', ...credentials })).toBe(
      `${PREFIX}give tenant or baseUrl, not both`,
    )
  })

  it('refuses government with a base URL', () => {
    expect(
      configMessage({ baseUrl: 'https://acme.example', government: true, ...credentials }),
    ).toBe(
      `${PREFIX}government: applies to tenant only; with baseUrl, give the government host itself (https://acme.api.identitynowgov.com)`,
    )
  })
})

describe('tokenUrl', () => {
  it('may be given on the API origin', () => {
    const tester = createSailPointTester({
      tenant: 'acme',
      tokenUrl: 'https://acme.api.identitynow.com/oauth/token',
      ...credentials,
    })
    expect(tester.tokenUrl).toBe('https://acme.api.identitynow.com/oauth/token')
  })

  it.each([
    [
      'https://evil.example/oauth/token',
      'must be on the same host as the API (https://acme.api.identitynow.com), so that the client secret goes to the vendor host only; got https://evil.example',
    ],
    [
      'https://acme.api.identitynow.com:8443/oauth/token',
      'must be on the same host as the API (https://acme.api.identitynow.com), so that the client secret goes to the vendor host only; got https://acme.api.identitynow.com:8443',
    ],
    [
      'https://acme.api.identitynow.com.evil.example/oauth/token',
      'must be on the same host as the API (https://acme.api.identitynow.com), so that the client secret goes to the vendor host only; got https://acme.api.identitynow.com.evil.example',
    ],
    ['https://acme.api.identitynow.com/oauth/token?x=1', 'must not contain a query or fragment'],
    [
      'https://u:p@acme.api.identitynow.com/oauth/token',
      'must not contain user info (user:password@)',
    ],
    [
      'http://acme.api.identitynow.com/oauth/token',
      'must use https; http is allowed only on loopback (127.0.0.1, ::1, localhost)',
    ],
    [
      'https://acme.api.identitynow.com',
      "must include the token endpoint's path, e.g. https://acme.api.identitynow.com/oauth/token",
    ],
  ])('refuses %s', (tokenUrl, problem) => {
    expect(configMessage({ tenant: 'acme', tokenUrl, ...credentials })).toBe(
      `${PREFIX}tokenUrl: ${problem}`,
    )
  })
})

describe('credentials and other options', () => {
  it('names every problem at once', () => {
    expect(
      configMessage({
        tenant: 'evil.com#',
        clientId: '',
        clientSecret: 42,
        apiVersion: 'v3',
        timeoutMs: 0,
        retry: { maxAttempts: 0, jitter: true },
        rateLimit: { perSecond: 1001 },
        clock: {},
        random: 1,
        logger: console.log,
        region: 'eu',
      }),
    ).toBe(
      PREFIX +
        [
          'clientId: must not be empty (the client id of a SailPoint personal access token or OAuth client)',
          'clientSecret: must be a string',
          "apiVersion: must be one of 'beta', 'v1'",
          'timeoutMs: must be at least 1 millisecond',
          'retry.maxAttempts: must be at least 1 attempt',
          "retry: unknown option 'jitter'; allowed: maxAttempts, baseDelayMs, maxDelayMs, maxRetryAfterMs",
          'rateLimit.perSecond: must be at most 1000',
          'clock: expected a Clock with now(), sleep(ms, signal) and setTimer(callback, ms)',
          'random: expected a function returning a number in [0, 1)',
          'logger: expected a Logger with debug()',
          "unknown option 'region'; allowed: tenant, baseUrl, government, clientId, clientSecret, apiVersion, tokenUrl, timeoutMs, retry, rateLimits, rateLimit, clock, random, logger, proxy, ca, onEvent",
          `tenant: ${DNS_RULE}; got "evil.com#"`,
        ].join('; '),
    )
  })

  it('says what the credentials are when they are missing', () => {
    expect(configMessage({ tenant: 'acme' })).toBe(
      `${PREFIX}clientId: is required (the client id of a SailPoint personal access token or OAuth client); clientSecret: is required (the client secret that goes with clientId)`,
    )
  })

  it('refuses credentials with stray whitespace, without showing them', () => {
    const message = configMessage({
      tenant: 'acme',
      clientId: 'client 1',
      clientSecret: ' pasted-secret-with-newline\n',
    })
    expect(message).toBe(
      `${PREFIX}clientId: must hold printable ASCII characters only, no spaces; clientSecret: has leading or trailing whitespace; check how it was copied`,
    )
    expect(message).not.toContain('pasted-secret')
  })

  it('refuses anything but an object', () => {
    for (const value of [undefined, null, 'acme', 42]) {
      expect(configMessage(value)).toBe(`${PREFIX}expected an options object`)
    }
  })

  it("turns the client-side rate limit off with rateLimits: 'off', as the Apple adapter does", () => {
    expect(resolveOptions({ tenant: 'acme', rateLimits: 'off', ...credentials }).rateLimit).toBe(
      undefined,
    )
    const custom = { perSecond: 100, burst: 100 }
    expect(
      resolveOptions({ tenant: 'acme', rateLimits: 'vendor', rateLimit: custom, ...credentials })
        .rateLimit,
    ).toEqual(custom)
    expect(configMessage({ tenant: 'acme', rateLimits: 'none', ...credentials })).toBe(
      `${PREFIX}rateLimits: must be 'vendor' or 'off'`,
    )
    expect(
      configMessage({ tenant: 'acme', rateLimits: 'off', rateLimit: custom, ...credentials }),
    ).toBe(
      `${PREFIX}rateLimit: applies only with rateLimits 'vendor'; with 'off' there is no client-side limit`,
    )
  })

  it('defaults apiVersion, timeout and the client-side rate limit', () => {
    const resolved = resolveOptions({ tenant: 'acme', ...credentials })
    expect(resolved.apiVersion).toBe('beta')
    expect(resolved.timeoutMs).toBe(30_000)
    // 50 at once, then 5 a second: never more than 100 in any 10 s window.
    expect(resolved.rateLimit).toEqual({ perSecond: 5, burst: 50 })
    expect(resolveOptions({ tenant: 'acme', apiVersion: 'v1', ...credentials }).apiVersion).toBe(
      'v1',
    )
  })
})

describe('sailPointOptionsFromEnv', () => {
  const env = {
    SAIL_CLIENT_ID: 'env-client',
    SAIL_CLIENT_SECRET: 'env-secret-0123456789',
  }

  it('reads SAIL_BASE_URL or SAIL_TENANT, the credentials, SAIL_TOKEN_URL and SAIL_API_VERSION', () => {
    const fromBase = createSailPointTester(
      sailPointOptionsFromEnv(
        { ...env, SAIL_BASE_URL: 'https://acme.api.identitynow.com', SAIL_API_VERSION: 'v1' },
        {},
      ),
    )
    expect(fromBase.baseUrl).toBe('https://acme.api.identitynow.com')
    expect(fromBase.apiVersion).toBe('v1')
    const fromTenant = createSailPointTester(
      sailPointOptionsFromEnv(
        {
          ...env,
          SAIL_TENANT: 'acme',
          SAIL_TOKEN_URL: 'https://acme.api.identitynow.com/oauth/v2/token',
        },
        {},
      ),
    )
    expect(fromTenant.baseUrl).toBe('https://acme.api.identitynow.com')
    expect(fromTenant.tokenUrl).toBe('https://acme.api.identitynow.com/oauth/v2/token')
  })

  it('names the variables at fault', () => {
    const error = thrownBy(() => createSailPointTester(sailPointOptionsFromEnv({}, {})))
    expect(error.kind).toBe('config')
    expect(error.message).toBe(
      'Invalid SailPoint settings: SAIL_CLIENT_ID: is required (the client id of a SailPoint personal access token or OAuth client); SAIL_CLIENT_SECRET: is required (the client secret that goes with clientId); give SAIL_TENANT (e.g. "acme") or SAIL_BASE_URL (e.g. https://acme.api.identitynow.com)',
    )
    expect(
      thrownBy(() =>
        createSailPointTester(
          sailPointOptionsFromEnv({ ...env, SAIL_TENANT: 'evil.com#', SAIL_API_VERSION: 'v2' }, {}),
        ),
      ).message,
    ).toBe(
      `Invalid SailPoint settings: SAIL_API_VERSION: must be one of 'beta', 'v1'; SAIL_TENANT: ${DNS_RULE}; got "evil.com#"`,
    )
    expect(
      thrownBy(() =>
        createSailPointTester(
          sailPointOptionsFromEnv(
            { ...env, SAIL_TENANT: 'acme', SAIL_BASE_URL: 'https://acme.api.identitynow.com' },
            {},
          ),
        ),
      ).message,
    ).toBe('Invalid SailPoint settings: give SAIL_TENANT or SAIL_BASE_URL, not both')
    expect(
      thrownBy(() =>
        createSailPointTester(
          sailPointOptionsFromEnv(
            { ...env, SAIL_TENANT: 'acme', SAIL_TOKEN_URL: 'https://evil.example/oauth/token' },
            {},
          ),
        ),
      ).message,
    ).toBe(
      'Invalid SailPoint settings: SAIL_TOKEN_URL: must be on the same host as the API (https://acme.api.identitynow.com), so that the client secret goes to the vendor host only; got https://evil.example',
    )
  })

  it('treats empty variables as unset', () => {
    const tester = createSailPointTester(
      sailPointOptionsFromEnv(
        {
          ...env,
          SAIL_TENANT: '',
          SAIL_BASE_URL: 'https://acme.api.identitynow.com',
          SAIL_API_VERSION: '',
        },
        {},
      ),
    )
    expect(tester.apiVersion).toBe('beta')
  })

  it('lets an overridden host replace the environment host and token URL together', () => {
    const tester = createSailPointTester(
      sailPointOptionsFromEnv(
        {
          ...env,
          SAIL_TENANT: 'acme',
          SAIL_TOKEN_URL: 'https://acme.api.identitynow.com/oauth/token',
        },
        { baseUrl: 'http://127.0.0.1:9999' },
      ),
    )
    expect(tester.baseUrl).toBe('http://127.0.0.1:9999')
    expect(tester.tokenUrl).toBe('http://127.0.0.1:9999/oauth/token')
    expect(
      thrownBy(() =>
        createSailPointTester(
          sailPointOptionsFromEnv({ ...env, SAIL_TENANT: 'acme' }, { timeoutMs: -5 }),
        ),
      ).message,
    ).toBe('Invalid SailPoint settings: timeoutMs: must be at least 1 millisecond')
  })
})

describe('the tester object', () => {
  it('shows its hosts and version, never its credentials', async () => {
    const { inspect } = await import('node:util')
    const tester = createSailPointTester({ tenant: 'acme', ...credentials })
    const shown = [inspect(tester, { depth: 10, showHidden: true }), JSON.stringify(tester)]
    for (const text of shown) {
      expect(text).toContain('https://acme.api.identitynow.com')
      expect(text).not.toContain(credentials.clientSecret)
    }
    expect(JSON.parse(shown[1] ?? '')).toEqual({
      vendor: 'sailpoint',
      apiVersion: 'beta',
      baseUrl: 'https://acme.api.identitynow.com',
      tokenUrl: 'https://acme.api.identitynow.com/oauth/token',
    })
  })
})
