import { KeyObject } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { resolveGitHubOptions, type GitHubTesterOptions } from '../src/options.js'
import { thrown } from './helpers/errors.js'
import { appKey } from './helpers/keys.js'

const TOKEN = 'github_pat_11AAAAAAA0example0token0value0xyz'
const repoHook = { owner: 'octo-org', repo: 'hello.world', hookId: 12345678 }

function resolve(options: Record<string, unknown>) {
  return resolveGitHubOptions(options as unknown as GitHubTesterOptions)
}
function problem(options: Record<string, unknown>): string {
  const error = thrown(() => resolve(options))
  expect(error.kind).toBe('config')
  expect(error.operation).toBe('github.configure')
  return error.message
}

describe('targets', () => {
  it('resolves the three kinds of hook, ids as decimal strings', () => {
    expect(resolve({ target: repoHook, auth: { token: TOKEN } }).target).toEqual({
      type: 'repository',
      owner: 'octo-org',
      repo: 'hello.world',
      hookId: '12345678',
    })
    expect(
      resolve({ target: { org: 'octo-org', hookId: '42' }, auth: { token: TOKEN } }).target,
    ).toEqual({
      type: 'organization',
      org: 'octo-org',
      hookId: '42',
    })
    const app = resolve({
      target: { app: true },
      auth: { clientId: 'Iv1.abc', privateKey: appKey().pkcs1 },
    })
    expect(app.target).toEqual({ type: 'app' })
  })

  it('keeps int64 ids exact beyond 2^53, from strings and bigints', () => {
    const big = '9223372036854775807'
    expect(
      resolve({ target: { ...repoHook, hookId: big }, auth: { token: TOKEN } }).target,
    ).toMatchObject({ hookId: big })
    expect(
      resolve({ target: { ...repoHook, hookId: 2n ** 60n }, auth: { token: TOKEN } }).target,
    ).toMatchObject({
      hookId: (2n ** 60n).toString(),
    })
    expect(
      resolve({ target: { ...repoHook, hookId: '007' }, auth: { token: TOKEN } }).target,
    ).toMatchObject({ hookId: '7' })
  })

  it.each<number | string>([0, -1, 1.5, 2 ** 53 + 2, '9223372036854775808', '12a', '1e3', ' '])(
    'refuses the hook id %s, naming target.hookId',
    (hookId) => {
      const message = problem({ target: { ...repoHook, hookId }, auth: { token: TOKEN } })
      expect(message).toContain('target.hookId: expected the hook')
      expect(message).toContain('positive whole number below 2^63')
    },
  )

  it.each([
    ['owner', '..'],
    ['owner', 'a/b'],
    ['owner', '%2e%2e'],
    ['owner', 'octo org'],
    ['owner', '-leading'],
    ['owner', 'octo\norg'],
    ['repo', '..'],
    ['repo', '.'],
    ['repo', 'a/b'],
    ['repo', 'a%2fb'],
    ['repo', 'a?b'],
    ['repo', 'a#b'],
    ['repo', 'x'.repeat(101)],
  ])('refuses %s %j: nothing may change the path', (field, value) => {
    expect(problem({ target: { ...repoHook, [field]: value }, auth: { token: TOKEN } })).toContain(
      `target.${field}: expected`,
    )
  })

  it('refuses an org login that could change the path', () => {
    expect(problem({ target: { org: '../x', hookId: 1 }, auth: { token: TOKEN } })).toContain(
      'target.org: expected',
    )
  })

  it('names the missing target and each shape', () => {
    expect(problem({ auth: { token: TOKEN } })).toContain(
      'target: is required (a repository hook {owner, repo, hookId}, an organization hook {org, hookId}, or the GitHub App hook {app: true})',
    )
    expect(problem({ target: 'octo/hello', auth: { token: TOKEN } })).toContain(
      'target: expected a repository hook',
    )
  })

  it('names unknown and mixed keys', () => {
    expect(problem({ target: { ...repoHook, org: 'x' }, auth: { token: TOKEN } })).toMatch(
      /target: .*"owner"|target: Unrecognized keys?: .*owner/,
    )
    expect(
      problem({
        target: { app: true, hookId: 1 },
        auth: { clientId: 'Iv1.a', privateKey: appKey().pkcs1 },
      }),
    ).toMatch(/target: Unrecognized key.*hookId/)
    expect(
      problem({ target: { app: 'yes' }, auth: { clientId: 'Iv1.a', privateKey: appKey().pkcs1 } }),
    ).toContain("target.app: expected true, for the GitHub App's own webhook")
  })
})

describe('auth', () => {
  it('holds a token so that printing the options never shows it', () => {
    const resolved = resolve({ target: repoHook, auth: { token: ` ${TOKEN} ` } })
    expect(resolved.auth.type).toBe('token')
    if (resolved.auth.type !== 'token') return
    expect(resolved.auth.token.reveal()).toBe(TOKEN)
    expect(JSON.stringify(resolved)).not.toContain(TOKEN)
    expect(String(resolved.auth.token)).toBe('[REDACTED]')
  })

  it.each(['', 'two words', 'line\nbreak', 'tab\there'])(
    'refuses the token %j without quoting it',
    (token) => {
      const message = problem({ target: repoHook, auth: { token } })
      expect(message).toContain('auth.token: expected a GitHub token')
    },
  )

  it('takes no token shape: long stateless installation tokens pass', () => {
    const token = `ghs_123456_${'eyJhbGciOiJSUzI1NiJ9'.repeat(40)}`
    expect(resolve({ target: repoHook, auth: { token } }).auth.type).toBe('token')
  })

  it('parses PKCS#1 (as GitHub downloads it) and PKCS#8 keys once, with literal \\n escapes too', () => {
    for (const pem of [appKey().pkcs1, appKey().pkcs8, appKey().pkcs1.replace(/\n/g, '\\n')]) {
      const resolved = resolve({
        target: repoHook,
        auth: { appId: 123, privateKey: pem, installationId: '99' },
      })
      expect(resolved.auth).toMatchObject({ type: 'app', issuer: '123', installationId: '99' })
      if (resolved.auth.type === 'app') expect(resolved.auth.privateKey).toBeInstanceOf(KeyObject)
    }
  })

  it('uses the client id as issuer', () => {
    const resolved = resolve({
      target: repoHook,
      auth: { clientId: 'Iv23liABC', privateKey: appKey().pkcs8 },
    })
    expect(resolved.auth).toMatchObject({
      type: 'app',
      issuer: 'Iv23liABC',
      installationId: undefined,
    })
  })

  it('refuses App auth without an issuer, or with two', () => {
    expect(problem({ target: repoHook, auth: { privateKey: appKey().pkcs1 } })).toContain(
      'auth: needs clientId (recommended on GitHub.com) or appId',
    )
    expect(
      problem({
        target: repoHook,
        auth: { appId: 1, clientId: 'Iv1.a', privateKey: appKey().pkcs1 },
      }),
    ).toContain('auth: takes clientId or appId, not both')
  })

  it('refuses keys that are not RSA private keys, without quoting them', () => {
    const ec = 'not a key at all'
    expect(problem({ target: repoHook, auth: { appId: 1, privateKey: ec } })).toContain(
      "auth.privateKey: expected the GitHub App's private key as PEM text",
    )
    const pem = appKey().pkcs1
    const damaged = `${pem.slice(0, 400)}\n-----END RSA PRIVATE KEY-----`
    const message = problem({ target: repoHook, auth: { appId: 1, privateKey: damaged } })
    expect(message).toContain('auth.privateKey: is not a readable RSA private key')
    expect(message).not.toContain(appKey().body.slice(0, 40))
  })

  it("insists on the App's JWT for the App's own hook", () => {
    expect(problem({ target: { app: true }, auth: { token: TOKEN } })).toContain(
      "auth: must be the GitHub App {clientId or appId, privateKey} for the App's own hook",
    )
    expect(
      problem({
        target: { app: true },
        auth: { appId: 1, privateKey: appKey().pkcs1, installationId: 5 },
      }),
    ).toContain("auth.installationId: is not used for the App's own hook")
  })
})

describe('baseUrl and apiVersion', () => {
  const base = { target: repoHook, auth: { token: TOKEN } }

  it.each([
    [undefined, 'https://api.github.com'],
    ['https://api.github.com/', 'https://api.github.com'],
    ['https://ghe.example.com/api/v3', 'https://ghe.example.com/api/v3'],
    ['https://ghe.example.com/api/v3/', 'https://ghe.example.com/api/v3'],
    ['https://api.octocorp.ghe.com', 'https://api.octocorp.ghe.com'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
    ['http://localhost:9/prefix', 'http://localhost:9/prefix'],
  ])('accepts %s', (baseUrl, url) => {
    expect(resolve({ ...base, baseUrl }).baseUrl).toBe(url)
  })

  it.each([
    ['https://github.com', 'must be the API host, https://api.github.com, not the web host'],
    ['https://octocorp.ghe.com', 'must be the GHE.com API host, https://api.octocorp.ghe.com'],
    [
      'https://ghe.example.com',
      'must be https://api.github.com, https://api.SUBDOMAIN.ghe.com, or a GitHub Enterprise Server API such as https://ghe.example.com/api/v3 (got no path)',
    ],
    ['https://api.github.com/api/v3', 'must be https://api.github.com without a path'],
    ['http://ghe.example.com/api/v3', 'must use https'],
    ['https://user:pw@api.github.com', 'must not contain user info'],
    ['https://api.github.com?x=1', 'must not contain a query or fragment'],
    ['https://169.254.169.254/api/v3', 'must not point at a link-local'],
    ['ftp://api.github.com', 'must use https'],
    [`https://api.github.com/${'a'.repeat(3000)}`, 'is longer than 2048 characters'],
  ])('refuses %s', (baseUrl, why) => {
    expect(problem({ ...base, baseUrl })).toContain(`baseUrl: ${why}`)
  })

  it('defaults the API version to 2022-11-28 and allows 2026-03-10 only besides it', () => {
    expect(resolve(base).apiVersion).toBe('2022-11-28')
    expect(resolve({ ...base, apiVersion: '2026-03-10' }).apiVersion).toBe('2026-03-10')
    expect(problem({ ...base, apiVersion: 'v3' })).toContain(
      'apiVersion: expected one of 2022-11-28, 2026-03-10',
    )
  })

  it('refuses unknown options and reports every problem at once', () => {
    const message = problem({ ...base, baseUrl: 'https://github.com', apiVersion: 'x', retries: 3 })
    expect(message).toContain('baseUrl:')
    expect(message).toContain('apiVersion:')
    expect(message).toMatch(/retries/)
  })
})
