import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { bodyExcerpt } from '../src/body-excerpt.js'
import { NotificationTestError } from '../src/error.js'
import { readEnv, withOverrides } from '../src/from-env.js'
import { defineOperations, failedMessage } from '../src/operations.js'
import { thrownBy } from '../src/testing/rejections.js'
import { parseWith } from '../src/validation.js'

const SECRET_NAMED = ['clientSecret', 'client_secret', 'privateKey', 'accessToken', 'password']

describe('the issue formatter', () => {
  it('names every field and its rule, and survives redaction even for secret-named fields', () => {
    const schema = z.strictObject(
      Object.fromEntries(
        SECRET_NAMED.map((name) => [name, z.string({ error: '"x" is required' })]),
      ),
    )
    const error = thrownBy(() =>
      parseWith(
        schema,
        {},
        { vendor: 'acme', operation: 'acme.configure', kind: 'config', subject: 'acme options' },
      ),
    )
    expect(error.message).toBe(
      `Invalid acme options: ${SECRET_NAMED.map((name) => `${name}: x" is required`).join('; ')}`,
    )
    expect(error.message).not.toContain('REDACTED')
  })

  it('names a field by where it came from', () => {
    const error = thrownBy(() =>
      parseWith(
        z.object({ clientId: z.string({ error: 'is required' }) }),
        {},
        {
          vendor: 'acme',
          operation: 'acme.fromEnv',
          kind: 'config',
          subject: 'acme settings',
          names: { clientId: 'ACME_CLIENT_ID' },
        },
      ),
    )
    expect(error.message).toBe('Invalid acme settings: ACME_CLIENT_ID: is required')
  })
})

describe('bodyExcerpt', () => {
  it('keeps the words of a proxy page on one line, without tags, scripts or styles', () => {
    const page =
      '<html><head><style>p { color: red }</style><script>var x = "<b>"</script></head>\n<body><h1>502 Bad Gateway</h1>\n<p>nginx</p></body></html>'
    expect(bodyExcerpt(page)).toBe('502 Bad Gateway nginx')
    expect(bodyExcerpt('   ')).toBeUndefined()
    expect(bodyExcerpt('x'.repeat(300))).toBe(`${'x'.repeat(200)}…`)
  })

  it('reads a hostile page in time linear in its size', () => {
    const unit = '<script><script'
    // The best of five runs of each size: noise on a shared machine only ever adds time.
    const time = (n: number): number => {
      const page = unit.repeat(n)
      let best = Infinity
      for (let run = 0; run < 5; run++) {
        const started = performance.now()
        bodyExcerpt(page)
        best = Math.min(best, performance.now() - started)
      }
      return best
    }
    time(1000)
    // Ten times the input: about ten times the time when linear, a hundred when quadratic.
    expect(time(400_000) / Math.max(0.5, time(40_000))).toBeLessThan(35)
  })
})

describe('readEnv and withOverrides', () => {
  it('reads the table, an empty or blank variable counting as unset, overrides winning', () => {
    const table = { clientId: 'ACME_CLIENT_ID', tenant: 'ACME_TENANT', secret: 'ACME_SECRET' }
    const env = { ACME_CLIENT_ID: 'id', ACME_TENANT: '  ', OTHER: 'x' }
    expect(readEnv(env, table, { vendor: 'acme', operation: 'acme.fromEnv' })).toEqual({
      ACME_CLIENT_ID: 'id',
    })
    expect(
      withOverrides<{ a?: string; b?: string }>({ a: '1', b: '2' }, { a: undefined, b: '3' }),
    ).toEqual({
      a: '1',
      b: '3',
    })
  })
})

describe('operations', () => {
  it('names each operation vendor.key and gives every failure one voice', () => {
    const operations = defineOperations('acme', { send: 'Sending the Acme test notification' })
    expect(operations.send).toEqual({
      name: 'acme.send',
      label: 'Sending the Acme test notification',
    })
    expect(failedMessage(operations.send, 'the tenant said no.')).toBe(
      'Sending the Acme test notification failed: the tenant said no.',
    )
    expect(
      new NotificationTestError({
        vendor: 'acme',
        operation: operations.send.name,
        kind: 'auth',
        message: 'm',
      }).operation,
    ).toBe('acme.send')
  })
})
