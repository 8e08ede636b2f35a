import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { KeyObject } from 'node:crypto'
import { afterAll, describe, expect, it } from 'vitest'
import { rmSync } from 'node:fs'
import { GITHUB_ENV, githubOptionsFromEnv } from '../src/env.js'
import { resolveGitHubOptions } from '../src/options.js'
import { thrown } from './helpers/errors.js'
import { appKey } from './helpers/keys.js'

const dir = mkdtempSync(join(tmpdir(), 'notiprobe-github-env-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const TOKEN = 'ghp_exampleexampleexampleexample0123'
const repoEnv = {
  GITHUB_REPOSITORY: 'octo-org/hello-world',
  GITHUB_HOOK_ID: '42',
  GITHUB_TOKEN: TOKEN,
}

function problem(env: Record<string, string>, overrides = {}): string {
  const error = thrown(() => githubOptionsFromEnv(env, overrides))
  expect(error).toMatchObject({ kind: 'config', operation: 'github.fromEnv' })
  return error.message
}

describe('githubOptionsFromEnv', () => {
  it('reads a repository hook and a token, as GitHub Actions names them', () => {
    const options = githubOptionsFromEnv({
      ...repoEnv,
      GITHUB_API_URL: 'https://ghe.example.com/api/v3',
    })
    expect(options).toEqual({
      target: { owner: 'octo-org', repo: 'hello-world', hookId: '42' },
      auth: { token: TOKEN },
      baseUrl: 'https://ghe.example.com/api/v3',
    })
    expect(resolveGitHubOptions(options).target.type).toBe('repository')
  })

  it('GH_TOKEN wins over GITHUB_TOKEN, as in the GitHub CLI', () => {
    expect(githubOptionsFromEnv({ ...repoEnv, GH_TOKEN: 'gho_other' }).auth).toEqual({
      token: 'gho_other',
    })
  })

  it('reads an organization hook, and asks which target when Actions also set GITHUB_REPOSITORY', () => {
    expect(
      githubOptionsFromEnv({ GITHUB_ORG: 'octo-org', GITHUB_HOOK_ID: '7', GITHUB_TOKEN: TOKEN })
        .target,
    ).toEqual({
      org: 'octo-org',
      hookId: '7',
    })
    expect(problem({ ...repoEnv, GITHUB_ORG: 'octo-org' })).toContain(
      'GITHUB_HOOK_TARGET is required when both GITHUB_REPOSITORY and GITHUB_ORG are set',
    )
    expect(
      githubOptionsFromEnv({
        ...repoEnv,
        GITHUB_ORG: 'octo-org',
        GITHUB_HOOK_TARGET: 'Organization',
      }).target,
    ).toEqual({ org: 'octo-org', hookId: '42' })
  })

  it("reads the App's own hook with the App's key from a file, PKCS#1 as downloaded", () => {
    const path = join(dir, 'app.private-key.pem')
    writeFileSync(path, appKey().pkcs1)
    const options = githubOptionsFromEnv({
      GITHUB_HOOK_TARGET: 'app',
      GITHUB_APP_CLIENT_ID: 'Iv1.8a61f9b3a7aba766',
      GITHUB_APP_PRIVATE_KEY_FILE: path,
      GITHUB_APP_INSTALLATION_ID: '5', // not used by the App's hook: dropped
      GITHUB_TOKEN: TOKEN, // ignored: the App's hook takes the App's JWT only
      GITHUB_REPOSITORY: 'octo/hello',
    })
    expect(options.target).toEqual({ app: true })
    expect(options.auth).toMatchObject({ clientId: 'Iv1.8a61f9b3a7aba766' })
    expect((options.auth as { privateKey: unknown }).privateKey).toBeInstanceOf(KeyObject)
    expect(resolveGitHubOptions(options).auth).toMatchObject({
      type: 'app',
      installationId: undefined,
    })
  })

  it('reads App auth for a repository hook, with the key as text with \\n escapes', () => {
    const options = githubOptionsFromEnv({
      GITHUB_REPOSITORY: 'octo/hello',
      GITHUB_HOOK_ID: '1',
      GITHUB_APP_ID: '123',
      GITHUB_APP_PRIVATE_KEY: appKey().pkcs8.replace(/\n/g, '\\n'),
      GITHUB_APP_INSTALLATION_ID: '99',
    })
    expect(resolveGitHubOptions(options).auth).toMatchObject({
      type: 'app',
      issuer: '123',
      installationId: '99',
    })
  })

  it('names every variable at fault, all at once', () => {
    const message = problem({
      GITHUB_REPOSITORY: 'octo/hello/extra',
      GITHUB_HOOK_ID: 'abc',
      GITHUB_TOKEN: TOKEN,
      GITHUB_API_URL: 'https://github.com',
      GITHUB_API_VERSION: 'v3',
    })
    expect(message).toContain('GITHUB_REPOSITORY: must be owner/name')
    expect(message).toContain("GITHUB_HOOK_ID: expected the hook's id")
    expect(message).toContain(
      'GITHUB_API_URL: must be the API host, https://api.github.com, not the web host',
    )
    expect(message).toContain('GITHUB_API_VERSION: must be one of 2022-11-28, 2026-03-10')
  })

  it('names the variable a malformed token or client id came from, without quoting it', () => {
    const token = problem({ ...repoEnv, GH_TOKEN: 'ghp_with space' })
    expect(token).toContain(
      'GH_TOKEN: expected a GitHub token: visible characters only, without spaces or line breaks',
    )
    expect(token).not.toContain('ghp_with')
    const client = problem({
      GITHUB_HOOK_TARGET: 'app',
      GITHUB_APP_CLIENT_ID: 'Iv1 bad/id',
      GITHUB_APP_PRIVATE_KEY: appKey().pkcs1,
    })
    expect(client).toContain("GITHUB_APP_CLIENT_ID: expected the GitHub App's client id")
  })

  it('says what is missing', () => {
    expect(problem({})).toContain(
      'GITHUB_REPOSITORY (owner/name) or GITHUB_ORG, with GITHUB_HOOK_ID, is required',
    )
    expect(problem({ GITHUB_REPOSITORY: 'o/r' })).toContain('GITHUB_HOOK_ID is required')
    expect(problem({ GITHUB_REPOSITORY: 'o/r', GITHUB_HOOK_ID: '1' })).toContain(
      'GH_TOKEN or GITHUB_TOKEN is required',
    )
    expect(problem({ GITHUB_HOOK_TARGET: 'app' })).toContain(
      'GITHUB_APP_CLIENT_ID or GITHUB_APP_ID is required',
    )
    expect(problem({ GITHUB_HOOK_TARGET: 'hook' })).toContain(
      'GITHUB_HOOK_TARGET: must be one of repository, organization, app',
    )
  })

  it('refuses a token and App variables together, and two issuers', () => {
    expect(
      problem({ ...repoEnv, GITHUB_APP_ID: '1', GITHUB_APP_PRIVATE_KEY: appKey().pkcs1 }),
    ).toContain('GITHUB_TOKEN and the GitHub App variables are both set')
    const message = problem({
      GITHUB_HOOK_TARGET: 'app',
      GITHUB_APP_ID: '1',
      GITHUB_APP_CLIENT_ID: 'Iv1.x',
      GITHUB_APP_PRIVATE_KEY: appKey().pkcs1,
    })
    expect(message).toContain('GITHUB_APP_CLIENT_ID and GITHUB_APP_ID are both set')
  })

  it('reads a key file with a bound, and never quotes key text', () => {
    const big = join(dir, 'big.pem')
    writeFileSync(big, Buffer.alloc(200_000, 'A'))
    const env = { GITHUB_HOOK_TARGET: 'app', GITHUB_APP_ID: '1' }
    expect(problem({ ...env, GITHUB_APP_PRIVATE_KEY_FILE: big })).toContain(
      `GITHUB_APP_PRIVATE_KEY_FILE: ${big} is larger than 65536 bytes`,
    )
    expect(problem({ ...env, GITHUB_APP_PRIVATE_KEY_FILE: join(dir, 'missing.pem') })).toContain(
      '(ENOENT)',
    )
    expect(problem({ ...env, GITHUB_APP_PRIVATE_KEY_FILE: dir })).toContain('(EISDIR)')
    // The key pasted into the _FILE variable: refused without echoing it.
    const pasted = problem({ ...env, GITHUB_APP_PRIVATE_KEY_FILE: appKey().pkcs1 })
    expect(pasted).toContain('GITHUB_APP_PRIVATE_KEY_FILE: cannot read the file given')
    expect(pasted).not.toContain(appKey().body.slice(0, 30))
    const bad = problem({ ...env, GITHUB_APP_PRIVATE_KEY: 'ghp_not_a_key_at_all' })
    expect(bad).toContain(
      "GITHUB_APP_PRIVATE_KEY: expected the GitHub App's private key as PEM text",
    )
    expect(
      problem({ ...env, GITHUB_APP_PRIVATE_KEY: 'x', GITHUB_APP_PRIVATE_KEY_FILE: big }),
    ).toContain('GITHUB_APP_PRIVATE_KEY and GITHUB_APP_PRIVATE_KEY_FILE are both set')
  })

  it('lets overrides win, a whole target or auth at a time, and treats empty variables as unset', () => {
    const options = githubOptionsFromEnv(
      { ...repoEnv, GITHUB_API_URL: '', GITHUB_HOOK_ID: '' },
      {
        target: { org: 'other', hookId: 9 },
        baseUrl: 'http://127.0.0.1:1234',
        apiVersion: '2026-03-10',
      },
    )
    expect(options).toEqual({
      target: { org: 'other', hookId: 9 },
      auth: { token: TOKEN },
      baseUrl: 'http://127.0.0.1:1234',
      apiVersion: '2026-03-10',
    })
  })

  it('documents every variable it reads', () => {
    expect(Object.values(GITHUB_ENV).sort()).toEqual(
      [
        'GH_TOKEN',
        'GITHUB_API_URL',
        'GITHUB_API_VERSION',
        'GITHUB_APP_CLIENT_ID',
        'GITHUB_APP_ID',
        'GITHUB_APP_INSTALLATION_ID',
        'GITHUB_APP_PRIVATE_KEY',
        'GITHUB_APP_PRIVATE_KEY_FILE',
        'GITHUB_HOOK_ID',
        'GITHUB_HOOK_TARGET',
        'GITHUB_ORG',
        'GITHUB_REPOSITORY',
        'GITHUB_TOKEN',
      ].sort(),
    )
  })
})
