import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startGitHubSimulator, type GitHubSimulator } from '../src/github/index.js'
import { startReceiver, type Receiver } from './apple-helpers.js'
import { callGitHub, manualClock } from './github-helpers.js'

describe('GitHub simulator: primary rate limit', () => {
  const clock = manualClock()
  let sim: GitHubSimulator
  beforeEach(async () => {
    sim = await startGitHubSimulator({ now: clock.now, primaryRateLimit: 3 })
  })
  afterEach(() => sim.close())

  const hookPath = () => {
    const hook = sim.createHook({ target: { owner: 'o', repo: 'r' }, url: 'http://127.0.0.1:9/x' })
    return `/repos/o/r/hooks/${String(hook.id)}/deliveries`
  }

  it('puts x-ratelimit-* on every answer, errors included, and refuses with remaining 0 once spent', async () => {
    const path = hookPath()
    const reset = String(Math.ceil((clock.now() + 3_600_000) / 1000))
    const seen: (string | null)[][] = []
    for (let i = 0; i < 3; i++) {
      const answer = await callGitHub(sim, 'GET', i === 1 ? '/repos/o/r/hooks/1/deliveries' : path)
      expect(answer.status).toBe(i === 1 ? 404 : 200)
      seen.push(
        ['limit', 'remaining', 'used', 'reset', 'resource'].map((h) =>
          answer.headers.get(`x-ratelimit-${h}`),
        ),
      )
    }
    expect(seen).toEqual([
      ['3', '2', '1', reset, 'core'],
      ['3', '1', '2', reset, 'core'],
      ['3', '0', '3', reset, 'core'],
    ])
    const refused = await callGitHub(sim, 'GET', path)
    expect(refused.status).toBe(403)
    expect(refused.headers.get('x-ratelimit-remaining')).toBe('0')
    expect(refused.headers.get('x-ratelimit-reset')).toBe(reset)
    expect(refused.json).toMatchObject({
      message: expect.stringMatching(/^API rate limit exceeded/) as string,
    })
    // GET /rate_limit is free and still answers.
    const limits = await callGitHub(sim, 'GET', '/rate_limit')
    expect(limits.status).toBe(200)
    expect(limits.json).toMatchObject({ resources: { core: { remaining: 0, used: 3 } } })
    clock.advance(3_600_000)
    expect((await callGitHub(sim, 'GET', path)).status).toBe(200)
  })

  it('counts personal tokens of one user together and an unauthenticated caller apart (60)', async () => {
    const path = hookPath()
    await callGitHub(sim, 'GET', path)
    const other = sim.createToken()
    const answer = await callGitHub(sim, 'GET', path, { token: other })
    expect(answer.headers.get('x-ratelimit-used')).toBe('2')
    const anonymous = await callGitHub(sim, 'GET', path, { token: null })
    expect(anonymous.status).toBe(401)
    expect(anonymous.headers.get('x-ratelimit-limit')).toBe('60')
  })

  it('rateLimitStatus 429 answers the exhausted limit with 429', async () => {
    const other = await startGitHubSimulator({ primaryRateLimit: 1, rateLimitStatus: 429 })
    try {
      await callGitHub(other, 'GET', '/repos/o/r/hooks/1/deliveries')
      const refused = await callGitHub(other, 'GET', '/repos/o/r/hooks/1/deliveries')
      expect(refused.status).toBe(429)
      expect(refused.headers.get('x-ratelimit-remaining')).toBe('0')
    } finally {
      await other.close()
    }
  })
})

describe('GitHub simulator: secondary rate limit and faults', () => {
  let sim: GitHubSimulator
  let receiver: Receiver
  let pingPath: string
  beforeEach(async () => {
    receiver = await startReceiver()
    sim = await startGitHubSimulator({ secondaryPointsPerMinute: 12 })
    pingPath = `/repos/o/r/hooks/${String(sim.createHook({ target: { owner: 'o', repo: 'r' }, url: receiver.url }).id)}/pings`
  })
  afterEach(async () => {
    await sim.close()
    await receiver.close()
  })

  it('writes cost 5 points: the third ping in a minute names the secondary limit, with retry-after', async () => {
    expect((await callGitHub(sim, 'POST', pingPath)).status).toBe(204)
    expect((await callGitHub(sim, 'POST', pingPath)).status).toBe(204)
    const refused = await callGitHub(sim, 'POST', pingPath)
    expect(refused.status).toBe(403)
    expect((refused.json as { message: string }).message).toMatch(/\bsecondary rate\b/i)
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(Number(refused.headers.get('x-ratelimit-remaining'))).toBeGreaterThan(0)
    await sim.idle()
    expect(receiver.received).toHaveLength(2)
  })

  it('a rateLimit fault answers as the secondary limit with retry-after 60; a 429 fault without it', async () => {
    sim.faults.set('pingHook', { kind: 'rateLimit', times: 1 })
    const limited = await callGitHub(sim, 'POST', pingPath)
    expect(limited.status).toBe(403)
    expect(limited.headers.get('retry-after')).toBe('60')
    expect(limited.headers.get('x-ratelimit-limit')).toBe('5000')
    sim.faults.set('pingHook', { kind: 'status', status: 429, times: 1 })
    const bare = await callGitHub(sim, 'POST', pingPath)
    expect(bare.status).toBe(429)
    expect(bare.headers.get('retry-after')).toBeNull()
    expect((bare.json as { message: string }).message).toMatch(/secondary rate/)
    await sim.idle()
    expect(receiver.received).toHaveLength(0)
  })

  it('5xx, malformed and dropped faults reach the client and send nothing', async () => {
    sim.faults.set('pingHook', { kind: 'status', status: 502, times: 1 })
    const failed = await callGitHub(sim, 'POST', pingPath)
    expect(failed.status).toBe(502)
    expect(failed.json).toMatchObject({ message: 'Server Error' })
    sim.faults.set('listDeliveries', { kind: 'malformed', malformed: 'invalid-json', times: 1 })
    const malformed = await callGitHub(sim, 'GET', pingPath.replace('/pings', '/deliveries'))
    expect(malformed.status).toBe(200)
    expect(malformed.json).toBeUndefined()
    sim.faults.set('pingHook', { kind: 'drop', times: 1 })
    await expect(callGitHub(sim, 'POST', pingPath)).rejects.toThrow()
    await sim.idle()
    expect(receiver.received).toHaveLength(0)
    expect(sim.inspect().faults.count.byEndpoint).toEqual({ pingHook: 2, listDeliveries: 1 })
  })

  it('a lost answer: the ping is sent, the client sees only a dropped connection', async () => {
    sim.loseAnswer('pingHook')
    await expect(callGitHub(sim, 'POST', pingPath)).rejects.toThrow()
    await sim.idle()
    expect(receiver.received).toHaveLength(1)
    expect((await callGitHub(sim, 'POST', pingPath)).status).toBe(204)
  })

  it('faults can be set over the control surface, and inspection holds no secret or token', async () => {
    const secretHook = sim.createHook({
      target: { owner: 'o', repo: 'r' },
      url: receiver.url,
      secret: 'hook-secret-value',
    })
    const set = await fetch(`${sim.baseUrl}/__simulator/faults`, {
      method: 'POST',
      body: JSON.stringify({ endpoint: 'pingHook', kind: 'status', status: 503, times: 1 }),
    })
    expect(set.status).toBe(200)
    expect((await callGitHub(sim, 'POST', pingPath)).status).toBe(503)
    await callGitHub(sim, 'POST', `/repos/o/r/hooks/${String(secretHook.id)}/pings`)
    await sim.idle()
    const inspection = await (await fetch(`${sim.baseUrl}/__simulator/inspect`)).text()
    expect(inspection).toContain('"vendor":"github"')
    expect(inspection).toContain('X-Hub-Signature-256')
    expect(inspection).not.toContain('hook-secret-value')
    expect(inspection).not.toContain(sim.credentials.token)
    expect(inspection).not.toContain('PRIVATE KEY')
  })

  it('close() stops a scheduled delivery: nothing is sent afterwards', async () => {
    const slow = await startGitHubSimulator({ deliveryDelayMs: 200 })
    const hook = slow.createHook({ target: { owner: 'o', repo: 'r' }, url: receiver.url })
    expect(
      (await callGitHub(slow, 'POST', `/repos/o/r/hooks/${String(hook.id)}/pings`)).status,
    ).toBe(204)
    await slow.close()
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(receiver.received).toHaveLength(0)
  })
})

describe('GitHub simulator: GHES-like path prefix', () => {
  it('serves every route under /api/v3 and nothing outside it', async () => {
    const sim = await startGitHubSimulator({ pathPrefix: '/api/v3' })
    try {
      expect(sim.baseUrl).toMatch(/\/api\/v3$/)
      const hook = sim.createHook({
        target: { owner: 'o', repo: 'r' },
        url: 'http://127.0.0.1:9/x',
      })
      sim.seedDeliveries(hook.id, { count: 3 })
      const page = await callGitHub(
        sim,
        'GET',
        `/repos/o/r/hooks/${String(hook.id)}/deliveries?per_page=1`,
      )
      expect(page.status).toBe(200)
      expect(page.headers.get('link')).toContain('/api/v3/repos/o/r/hooks/')
      const outside = await callGitHub(
        sim,
        'GET',
        sim.baseUrl.replace('/api/v3', `/repos/o/r/hooks/${String(hook.id)}/deliveries`),
      )
      expect(outside.status).toBe(404)
    } finally {
      await sim.close()
    }
  })
})
