import { generateKeyPairSync } from 'node:crypto'
import { request } from 'node:http'
import { SignJWT } from 'jose'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startGitHubSimulator, type GitHubSimulator } from '../src/github/index.js'
import { startReceiver, type Receiver } from './apple-helpers.js'
import { appJwt, callGitHub, manualClock } from './github-helpers.js'

describe('GitHub simulator: request headers', () => {
  let sim: GitHubSimulator
  beforeEach(async () => {
    sim = await startGitHubSimulator()
  })
  afterEach(() => sim.close())

  const path = () => '/rate_limit'

  it('refuses a request without User-Agent with 403', async () => {
    // fetch always adds a User-Agent; node:http sends only the headers given.
    const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        `${sim.baseUrl}${path()}`,
        { headers: { authorization: `Bearer ${sim.credentials.token}` } },
        (res) => {
          const chunks: Buffer[] = []
          res.on('data', (chunk: Buffer) => chunks.push(chunk))
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }),
          )
        },
      )
      req.on('error', reject)
      req.end()
    })
    expect(answer.status).toBe(403)
    expect(answer.text).toMatch(/User-Agent/)
  })

  it('accepts 2022-11-28 (or no version) and 2026-03-10, and answers 400 to any other version', async () => {
    for (const version of ['2022-11-28', '2026-03-10']) {
      const answer = await callGitHub(sim, 'GET', path(), {
        headers: { 'x-github-api-version': version },
      })
      expect(answer.status).toBe(200)
      expect(answer.headers.get('x-github-api-version-selected')).toBe(version)
    }
    const none = await callGitHub(sim, 'GET', path(), { headers: { 'x-github-api-version': null } })
    expect(none.headers.get('x-github-api-version-selected')).toBe('2022-11-28')
    const bad = await callGitHub(sim, 'GET', path(), {
      headers: { 'x-github-api-version': '2021-01-01' },
    })
    expect(bad.status).toBe(400)
    // GitHub's own answer names the header (seen in expipiplus1/update-nix-fetchgit#79).
    expect((bad.json as { message: string }).message).toMatch(
      /"X-GitHub-Api-Version" request header/i,
    )
    expect(bad.json).toMatchObject({
      message: expect.stringContaining('2021-01-01') as string,
      documentation_url: expect.any(String) as string,
    })
  })

  it('rate_limit drops the deprecated `rate` on 2026-03-10', async () => {
    const old = await callGitHub(sim, 'GET', path())
    expect(old.json).toMatchObject({ resources: { core: { limit: 5000 } }, rate: { limit: 5000 } })
    const current = await callGitHub(sim, 'GET', path(), {
      headers: { 'x-github-api-version': '2026-03-10' },
    })
    expect(current.json).not.toHaveProperty('rate')
  })

  it('serves the GitHub and JSON media types and answers 415 to others', async () => {
    for (const accept of [
      'application/vnd.github+json',
      'application/json',
      '*/*',
      'application/vnd.github.v3+json',
    ]) {
      expect((await callGitHub(sim, 'GET', path(), { headers: { accept } })).status).toBe(200)
    }
    expect(
      (await callGitHub(sim, 'GET', path(), { headers: { accept: 'text/html' } })).status,
    ).toBe(415)
  })
})

describe('GitHub simulator: tokens and permissions', () => {
  let sim: GitHubSimulator
  let receiver: Receiver
  let hookId: number
  let deliveryId: number

  beforeEach(async () => {
    receiver = await startReceiver()
    sim = await startGitHubSimulator()
    hookId = sim.createHook({ target: { owner: 'o', repo: 'r' }, url: receiver.url }).id
    deliveryId = sim.seedDeliveries(hookId, { count: 1 })[0].id
  })
  afterEach(async () => {
    await sim.close()
    await receiver.close()
  })

  const ping = (token: string | null) =>
    callGitHub(sim, 'POST', `/repos/o/r/hooks/${String(hookId)}/pings`, { token })
  const redeliver = (token: string) =>
    callGitHub(
      sim,
      'POST',
      `/repos/o/r/hooks/${String(hookId)}/deliveries/${String(deliveryId)}/attempts`,
      { token },
    )

  it('401 without credentials and for an unknown or revoked token', async () => {
    const none = await ping(null)
    expect(none.status).toBe(401)
    expect(none.json).toMatchObject({ message: 'Requires authentication', status: '401' })
    expect((await ping('ghp_not_a_token')).json).toMatchObject({ message: 'Bad credentials' })
    const token = sim.createToken()
    expect((await ping(token)).status).toBe(204)
    sim.revokeToken(token)
    expect((await ping(token)).status).toBe(401)
  })

  it('404 for a token that cannot see the repository or has no Webhooks permission', async () => {
    const otherRepo = sim.createToken({ repositories: ['o/other'] })
    const noHooks = sim.createToken({ permissions: {} })
    const orgOnly = sim.createToken({ permissions: { organization_hooks: 'write' } })
    for (const token of [otherRepo, noHooks, orgOnly]) {
      const answer = await ping(token)
      expect(answer.status).toBe(404)
      expect(answer.json).toMatchObject({ message: 'Not Found' })
    }
    expect((await ping(sim.createToken({ repositories: ['O/R'] }))).status).toBe(204)
  })

  it('Webhooks read pings and lists but cannot redeliver: 403 naming the permission', async () => {
    const read = sim.createToken({ permissions: { repository_hooks: 'read' } })
    expect((await ping(read)).status).toBe(204)
    const list = await callGitHub(sim, 'GET', `/repos/o/r/hooks/${String(hookId)}/deliveries`, {
      token: read,
    })
    expect(list.status).toBe(200)
    const answer = await redeliver(read)
    expect(answer.status).toBe(403)
    expect(answer.json).toMatchObject({
      message: 'Resource not accessible by personal access token',
    })
    expect(answer.headers.get('x-accepted-github-permissions')).toBe('repository_hooks=write')
    expect((await redeliver(sim.credentials.token)).status).toBe(202)
  })

  it('missingWriteStatus 404: the other reading of a read-only redelivery', async () => {
    const other = await startGitHubSimulator({ missingWriteStatus: 404 })
    try {
      const hook = other.createHook({ target: { owner: 'o', repo: 'r' }, url: receiver.url })
      const [d] = other.seedDeliveries(hook.id, { count: 1 })
      const read = other.createToken({ permissions: { repository_hooks: 'read' } })
      const answer = await callGitHub(
        other,
        'POST',
        `/repos/o/r/hooks/${String(hook.id)}/deliveries/${String(d.id)}/attempts`,
        { token: read },
      )
      expect(answer.status).toBe(404)
    } finally {
      await other.close()
    }
  })

  it('a token is refused on /app/* (JWT only) and the App JWT on repository hooks', async () => {
    const config = await callGitHub(sim, 'GET', '/app/hook/config')
    expect(config.status).toBe(401)
    expect(config.json).toMatchObject({ message: 'A JSON web token could not be decoded' })
    const jwt = await appJwt(sim)
    const answer = await ping(jwt)
    expect(answer.status).toBe(403)
    expect(answer.json).toMatchObject({ message: 'Resource not accessible by integration' })
  })
})

describe('GitHub simulator: GitHub App', () => {
  const clock = manualClock()
  let sim: GitHubSimulator
  let receiver: Receiver

  beforeEach(async () => {
    receiver = await startReceiver()
    sim = await startGitHubSimulator({ now: clock.now })
  })
  afterEach(async () => {
    await sim.close()
    await receiver.close()
  })

  const nowS = () => Math.floor(clock.now() / 1000)
  const config = (token: string) => callGitHub(sim, 'GET', '/app/hook/config', { token })

  it('hands out the key as PKCS#1, as GitHub does, and PKCS#8', () => {
    expect(sim.credentials.app.privateKeyPem).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/)
    expect(sim.credentials.app.privateKeyPkcs8Pem).toMatch(/^-----BEGIN PRIVATE KEY-----/)
  })

  it('accepts an RS256 JWT issued by the client id or by the app id (string or number)', async () => {
    const { appId, clientId } = sim.credentials.app
    for (const iss of [clientId, String(appId), appId]) {
      const answer = await config(await appJwt(sim, { nowS: nowS(), claims: { iss } }))
      expect(answer.status).toBe(200)
    }
  })

  it('refuses a JWT with another issuer, another key, another alg, too long a life, or expired', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
    const hs = await new SignJWT({
      iat: nowS() - 60,
      exp: nowS() + 300,
      iss: sim.credentials.app.clientId,
    })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode('x'.repeat(32)))
    const bad = [
      await appJwt(sim, { nowS: nowS(), claims: { iss: 'Iv23someoneelse' } }),
      await appJwt(sim, {
        nowS: nowS(),
        privateKeyPem: other.export({ type: 'pkcs1', format: 'pem' }).toString(),
      }),
      hs,
      await appJwt(sim, { nowS: nowS(), claims: { iat: nowS(), exp: nowS() + 11 * 60 + 30 } }),
      await appJwt(sim, { nowS: nowS(), claims: { iat: nowS() - 700, exp: nowS() - 1 } }),
      await appJwt(sim, { nowS: nowS(), claims: { iat: nowS() + 120 } }),
    ]
    for (const jwt of bad) {
      const answer = await config(jwt)
      expect(answer.status).toBe(401)
    }
    expect(sim.inspect().authFailures).toHaveLength(bad.length)
    expect(
      (
        await config(
          await appJwt(sim, { nowS: nowS(), claims: { iat: nowS() - 60, exp: nowS() + 600 } }),
        )
      ).status,
    ).toBe(200)
  })

  it('installation tokens: 201 with token, expires_at one hour on, permissions; 401 once expired', async () => {
    const jwt = await appJwt(sim, { nowS: nowS() })
    const { installationId } = sim.credentials.app
    const created = await callGitHub(
      sim,
      'POST',
      `/app/installations/${String(installationId)}/access_tokens`,
      { token: jwt },
    )
    expect(created.status).toBe(201)
    const body = created.json as {
      token: string
      expires_at: string
      permissions: object
      repository_selection: string
    }
    expect(body.token).toMatch(/^ghs_/)
    expect(Date.parse(body.expires_at)).toBe(Math.floor(clock.now() / 1000) * 1000 + 3_600_000)
    expect(body.permissions).toMatchObject({
      repository_hooks: 'write',
      organization_hooks: 'write',
    })
    expect(body.repository_selection).toBe('all')
    const hook = sim.createHook({ target: { owner: 'o', repo: 'r' }, url: receiver.url })
    const ping = () =>
      callGitHub(sim, 'POST', `/repos/o/r/hooks/${String(hook.id)}/pings`, { token: body.token })
    expect((await ping()).status).toBe(204)
    clock.advance(3_600_000)
    const expired = await ping()
    expect(expired.status).toBe(401)
    expect(expired.json).toMatchObject({ message: 'Bad credentials' })
    // A token is not a JWT, and an unknown installation is not found.
    expect(
      (await callGitHub(sim, 'POST', `/app/installations/${String(installationId)}/access_tokens`))
        .status,
    ).toBe(401)
    const jwt2 = await appJwt(sim, { nowS: nowS() })
    expect(
      (await callGitHub(sim, 'POST', '/app/installations/1/access_tokens', { token: jwt2 })).status,
    ).toBe(404)
  })

  it('installation tokens can be narrowed, not widened; read-only ones cannot redeliver', async () => {
    const jwt = await appJwt(sim, { nowS: nowS() })
    const path = `/app/installations/${String(sim.credentials.app.installationId)}/access_tokens`
    const narrowed = await callGitHub(sim, 'POST', path, {
      token: jwt,
      body: { permissions: { repository_hooks: 'read' }, repositories: ['r'] },
    })
    expect(narrowed.status).toBe(201)
    const { token, permissions, repository_selection } = narrowed.json as {
      token: string
      permissions: object
      repository_selection: string
    }
    expect(permissions).toEqual({ repository_hooks: 'read', metadata: 'read' })
    expect(repository_selection).toBe('selected')
    const hook = sim.createHook({ target: { owner: 'o', repo: 'r' }, url: receiver.url })
    const elsewhere = sim.createHook({
      target: { owner: 'o', repo: 'elsewhere' },
      url: receiver.url,
    })
    const [d] = sim.seedDeliveries(hook.id, { count: 1 })
    expect(
      (await callGitHub(sim, 'POST', `/repos/o/r/hooks/${String(hook.id)}/pings`, { token }))
        .status,
    ).toBe(204)
    expect(
      (
        await callGitHub(sim, 'POST', `/repos/o/elsewhere/hooks/${String(elsewhere.id)}/pings`, {
          token,
        })
      ).status,
    ).toBe(404)
    const redeliver = await callGitHub(
      sim,
      'POST',
      `/repos/o/r/hooks/${String(hook.id)}/deliveries/${String(d.id)}/attempts`,
      { token },
    )
    expect(redeliver.status).toBe(403)
    expect(redeliver.json).toMatchObject({ message: 'Resource not accessible by integration' })

    const restricted = await startGitHubSimulator({
      installationPermissions: { repository_hooks: 'read' },
    })
    try {
      const widen = await callGitHub(
        restricted,
        'POST',
        `/app/installations/${String(restricted.credentials.app.installationId)}/access_tokens`,
        {
          token: await appJwt(restricted),
          body: { permissions: { repository_hooks: 'write' } },
        },
      )
      expect(widen.status).toBe(422)
    } finally {
      await restricted.close()
    }
  })

  it('the stateless token format is longer than 40 characters and works the same', async () => {
    const other = await startGitHubSimulator({ installationTokenFormat: 'stateless' })
    try {
      const created = await callGitHub(
        other,
        'POST',
        `/app/installations/${String(other.credentials.app.installationId)}/access_tokens`,
        { token: await appJwt(other) },
      )
      const { token } = created.json as { token: string }
      expect(token.length).toBeGreaterThan(40)
      expect(token.startsWith(`ghs_${String(other.credentials.app.appId)}_`)).toBe(true)
      const hook = other.createHook({ target: { owner: 'o', repo: 'r' }, url: receiver.url })
      expect(
        (
          await callGitHub(other, 'GET', `/repos/o/r/hooks/${String(hook.id)}/deliveries`, {
            token,
          })
        ).status,
      ).toBe(200)
    } finally {
      await other.close()
    }
  })

  it("the App's hook config: GET and PATCH with the JWT, secret masked, bad bodies refused", async () => {
    const jwt = await appJwt(sim, { nowS: nowS() })
    const patched = await callGitHub(sim, 'PATCH', '/app/hook/config', {
      token: jwt,
      body: { url: receiver.url, content_type: 'json', secret: 'app secret' },
    })
    expect(patched.status).toBe(200)
    expect(patched.json).toEqual({
      url: receiver.url,
      content_type: 'json',
      insecure_ssl: '0',
      secret: '********',
    })
    expect((await config(jwt)).json).toEqual(patched.json)
    expect(
      (await callGitHub(sim, 'PATCH', '/app/hook/config', { token: jwt, body: '{nope' })).status,
    ).toBe(400)
    expect(
      (await callGitHub(sim, 'PATCH', '/app/hook/config', { token: jwt, body: '[1]' })).json,
    ).toMatchObject({ message: 'Body should be a JSON object' })
    expect(
      (
        await callGitHub(sim, 'PATCH', '/app/hook/config', {
          token: jwt,
          body: { content_type: 'xml' },
        })
      ).status,
    ).toBe(422)
    expect(JSON.stringify(sim.inspect())).not.toContain('app secret')
  })
})
