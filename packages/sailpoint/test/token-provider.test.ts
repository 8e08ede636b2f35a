import { createServer, type Server } from 'node:http'
import { systemRandom, type Clock } from '@notiprobe/core/adapter'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SailPointTokenProvider } from '../src/token-provider.js'
import { rejectionOf } from '@notiprobe/core/testing'

/** A token endpoint answering whatever the test sets, counting requests. */
let server: Server
let url: string
let answer: { status: number; body: unknown; delayMs?: number }
let requests: URLSearchParams[]
let now: number

const clock: Clock = {
  now: () => now,
  sleep: () => Promise.resolve(),
  setTimer: (callback, ms) => {
    const timer = setTimeout(callback, ms)
    return () => clearTimeout(timer)
  },
}

beforeEach(async () => {
  now = 1_000_000
  requests = []
  answer = { status: 200, body: { access_token: 'tok-1', token_type: 'Bearer', expires_in: 100 } }
  server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk: Buffer) => (body += chunk.toString()))
    req.on('end', () => {
      requests.push(new URLSearchParams(body))
      setTimeout(() => {
        res.writeHead(answer.status, { 'content-type': 'application/json' })
        res.end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body))
      }, answer.delayMs ?? 0)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  url = `http://127.0.0.1:${address.port}/oauth/token`
})

afterEach(async () => {
  server.closeAllConnections()
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

function provider(): SailPointTokenProvider {
  return new SailPointTokenProvider({
    tokenUrl: url,
    clientId: 'client-a',
    clientSecret: 'provider-test-secret-1',
    apiVersion: 'beta',
    timeoutMs: 2_000,
    retry: { maxAttempts: 1 },
    clock,
    random: systemRandom,
  })
}

describe('SailPointTokenProvider', () => {
  it('sends the client credentials grant in the form body and caches the token', async () => {
    const tokens = provider()
    expect(await tokens.getToken()).toBe('tok-1')
    expect(await tokens.getToken()).toBe('tok-1')
    expect(tokens.fetches).toBe(1)
    expect(Object.fromEntries(requests[0] ?? [])).toEqual({
      grant_type: 'client_credentials',
      client_id: 'client-a',
      client_secret: 'provider-test-secret-1',
    })
    tokens.close()
  })

  it('renews 10 % early for a short token, 60 s early for a long one', async () => {
    const tokens = provider()
    await tokens.getToken()
    now += 89_999
    await tokens.getToken()
    expect(tokens.fetches).toBe(1)
    now += 1
    answer.body = { access_token: 'tok-2', token_type: 'bearer', expires_in: 3600 }
    expect(await tokens.getToken()).toBe('tok-2')
    now += 3_539_999
    await tokens.getToken()
    expect(tokens.fetches).toBe(2)
    now += 1
    await tokens.getToken()
    expect(tokens.fetches).toBe(3)
    tokens.close()
  })

  it('assumes 300 s when expires_in is missing', async () => {
    answer.body = { access_token: 'tok-1', token_type: 'bearer' }
    const tokens = provider()
    await tokens.getToken()
    now += 269_999
    await tokens.getToken()
    expect(tokens.fetches).toBe(1)
    now += 1
    await tokens.getToken()
    expect(tokens.fetches).toBe(2)
    tokens.close()
  })

  it('drops only the token it is told SailPoint refused', async () => {
    const tokens = provider()
    await tokens.getToken()
    tokens.invalidate('some-older-token')
    await tokens.getToken()
    expect(tokens.fetches).toBe(1)
    tokens.invalidate('tok-1')
    await tokens.getToken()
    expect(tokens.fetches).toBe(2)
    tokens.close()
  })

  it('lets one caller stop waiting without cancelling the fetch the others share', async () => {
    answer.delayMs = 100
    const tokens = provider()
    const controller = new AbortController()
    const first = tokens.getToken(controller.signal)
    const second = tokens.getToken()
    controller.abort(new Error('caller gave up'))
    await expect(first).rejects.toThrow('caller gave up')
    expect(await second).toBe('tok-1')
    expect(tokens.fetches).toBe(1)
    expect(await tokens.getToken()).toBe('tok-1')
    tokens.close()
  })

  it('does not cache a failure', async () => {
    answer = { status: 500, body: {} }
    const tokens = provider()
    expect((await rejectionOf(tokens.getToken())).kind).toBe('vendor_error')
    answer = { status: 200, body: { access_token: 'tok-1', token_type: 'bearer', expires_in: 100 } }
    expect(await tokens.getToken()).toBe('tok-1')
    tokens.close()
  })

  it.each([
    [
      { token_type: 'bearer', expires_in: 100 },
      'response body access_token property must be a string',
    ],
    [{ access_token: 'x', token_type: 'mac' }, 'unsupported `token_type` value'],
    [{ access_token: 'x', token_type: 'DPoP' }, 'token_type is "dpop", not "bearer"'],
    [
      { access_token: 'x', token_type: 'bearer', expires_in: 'soon' },
      'response body expires_in property must be a number',
    ],
    ['not json at all', 'the body is not valid JSON'],
  ])('refuses the token answer %j as invalid_response', async (body, why) => {
    answer.body = body
    const tokens = provider()
    const error = await rejectionOf(tokens.getToken())
    expect(error.kind).toBe('invalid_response')
    expect(error.operation).toBe('sailpoint.fetchAccessToken')
    expect(error.message).toBe(
      `Fetching a SailPoint access token failed: the token endpoint at ${new URL(url).host} did not answer with a usable OAuth token (${why}). Check tokenUrl (now ${url}).`,
    )
    tokens.close()
  })
})
