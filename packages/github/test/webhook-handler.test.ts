import { sign } from '@octokit/webhooks-methods'
import type { NotificationTestError } from '@notiprobe/core'
import express from 'express'
import { afterEach, describe, expect, it } from 'vitest'
import {
  createWebhookHandler,
  type GitHubWebhookEvent,
  type WebhookHandler,
  type WebhookHandlerOptions,
} from '../src/index.js'
import { thrown } from './helpers/errors.js'
import { listen, send, type Answer } from './helpers/http.js'

const SECRET = 'webhook-secret-for-tests-0123456789'
const PAYLOAD =
  '{"zen":"Design for failure.","hook_id":109948940,"hook":{"type":"Repository","id":109948940},"big":9223372036854775807}'

let close: (() => Promise<void>) | undefined
afterEach(async () => {
  await close?.()
  close = undefined
})

function recorder(extra: Partial<WebhookHandlerOptions> = {}) {
  const events: GitHubWebhookEvent[] = []
  const errors: NotificationTestError[] = []
  const handler = createWebhookHandler({
    secret: SECRET,
    onEvent: (event) => {
      events.push(event)
    },
    onError: (error) => errors.push(error),
    ...extra,
  })
  return { handler, events, errors }
}

async function serve(extra: Partial<WebhookHandlerOptions> = {}) {
  const recorded = recorder(extra)
  const server = await listen(recorded.handler)
  close = server.close
  return { ...recorded, url: server.url }
}

async function githubHeaders(body: string, type = 'application/json', secret = SECRET) {
  return {
    'content-type': type,
    'user-agent': 'GitHub-Hookshot/044aadd',
    'x-github-event': 'ping',
    'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958',
    'x-github-hook-id': '109948940',
    'x-github-hook-installation-target-type': 'repository',
    'x-github-hook-installation-target-id': '35129377',
    'x-hub-signature-256': await sign(secret, body),
  }
}

function answered(result: Answer | { error: string }): Answer {
  if ('error' in result) throw new Error(`expected an answer, got ${result.error}`)
  return result
}

describe('createWebhookHandler on node:http', () => {
  it('hands over a JSON delivery signed as GitHub (here: Octokit) signs it, and answers 200', async () => {
    const { url, events, errors } = await serve()
    const answer = answered(
      await send(url, { headers: await githubHeaders(PAYLOAD), body: PAYLOAD }),
    )
    expect(answer).toMatchObject({ status: 200, body: 'ok\n' })
    expect(errors).toEqual([])
    expect(events).toEqual([
      {
        deliveryId: '72d3162e-cc78-11e3-81ab-4c9367dc0958',
        name: 'ping',
        hookId: '109948940',
        targetType: 'repository',
        targetId: '35129377',
        contentType: 'json',
        payload: {
          zen: 'Design for failure.',
          hook_id: 109948940,
          hook: { type: 'Repository', id: 109948940 },
          big: '9223372036854775807',
        },
      },
    ])
  })

  it("takes a form body (GitHub's default content type): payload=<URL-encoded JSON>, signed as sent", async () => {
    const { url, events } = await serve()
    const body = `payload=${encodeURIComponent(PAYLOAD)}`
    const answer = answered(
      await send(url, {
        headers: await githubHeaders(body, 'application/x-www-form-urlencoded'),
        body,
      }),
    )
    expect(answer.status).toBe(200)
    expect(events[0]).toMatchObject({
      contentType: 'form',
      payload: { zen: 'Design for failure.' },
    })
  })

  it("verifies GitHub's documented vector before parsing: a signed non-JSON body is refused after the check", async () => {
    const { url, events, errors } = await serve({ secret: "It's a Secret to Everybody" })
    const headers = {
      ...(await githubHeaders('x')),
      'x-hub-signature-256':
        'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
    }
    const answer = answered(await send(url, { headers, body: 'Hello, World!' }))
    expect(answer).toMatchObject({ status: 400, body: 'the body is not valid JSON\n' })
    expect(events).toEqual([])
    expect(errors[0]?.kind).toBe('invalid_input') // past the signature, failed at parsing
  })

  it.each([
    [
      'signed with another secret',
      async () =>
        (await githubHeaders(PAYLOAD, 'application/json', 'another-secret'))['x-hub-signature-256'],
      'the X-Hub-Signature-256 signature does not match the body',
    ],
    [
      'signature one byte short',
      async () => (await sign(SECRET, PAYLOAD)).slice(0, -2),
      'the X-Hub-Signature-256 header is not sha256= and 64 hex digits',
    ],
    [
      'signature one byte long',
      async () => `${await sign(SECRET, PAYLOAD)}00`,
      'the X-Hub-Signature-256 header is not sha256= and 64 hex digits',
    ],
    [
      'sha1 only',
      () => Promise.resolve('sha1=01dc10d0c83e72ed246219cdd91669667fe2ca59'),
      'the X-Hub-Signature-256 header is not sha256= and 64 hex digits',
    ],
    [
      'unsigned',
      () => Promise.resolve(undefined),
      'the X-Hub-Signature-256 header is missing (set a secret on the hook)',
    ],
  ])('never lets a body %s reach onEvent (400)', async (_name, signature, reason) => {
    const { url, events, errors } = await serve()
    const headers: Record<string, string> = { ...(await githubHeaders(PAYLOAD)) }
    const value = await signature()
    if (value === undefined) delete headers['x-hub-signature-256']
    else headers['x-hub-signature-256'] = value
    const answer = answered(await send(url, { headers, body: PAYLOAD }))
    expect(answer).toMatchObject({ status: 400, body: `${reason}\n` })
    expect(events).toEqual([])
    expect(errors.map((error) => error.kind)).toEqual(['verification'])
  })

  it('refuses a body changed after signing', async () => {
    const { url, events } = await serve()
    const headers = await githubHeaders(PAYLOAD)
    const answer = answered(
      await send(url, { headers, body: PAYLOAD.replace('failure', 'success') }),
    )
    expect(answer.status).toBe(400)
    expect(events).toEqual([])
  })

  it.each([
    ['x-github-event', 'the X-GitHub-Event header is missing'],
    ['x-github-delivery', 'the X-GitHub-Delivery header is missing'],
  ])('requires %s (400)', async (header, reason) => {
    const { url, events } = await serve()
    const headers = Object.fromEntries(
      Object.entries(await githubHeaders(PAYLOAD)).filter(([name]) => name !== header),
    )
    expect(answered(await send(url, { headers, body: PAYLOAD }))).toMatchObject({
      status: 400,
      body: `${reason}\n`,
    })
    expect(events).toEqual([])
  })

  it('refuses malformed delivery headers (400)', async () => {
    const { url } = await serve()
    for (const [header, value] of [
      ['x-github-event', 'Ping Event'],
      ['x-github-delivery', 'a b'],
      ['x-github-hook-id', '12x'],
      ['x-github-hook-installation-target-id', '-1'],
    ] as const) {
      const headers = { ...(await githubHeaders(PAYLOAD)), [header]: value }
      expect(answered(await send(url, { headers, body: PAYLOAD })).status).toBe(400)
    }
  })

  it('answers 405 to other methods and 415 to other content types', async () => {
    const { url } = await serve()
    const get = answered(await send(url, { method: 'GET' }))
    expect(get).toMatchObject({ status: 405, headers: { allow: 'POST' } })
    const text = answered(
      await send(url, { headers: await githubHeaders(PAYLOAD, 'text/plain'), body: PAYLOAD }),
    )
    expect(text.status).toBe(415)
  })

  it('refuses a form with other fields, and a payload that is not a JSON object', async () => {
    const { url, events } = await serve()
    for (const body of [
      `payload=${encodeURIComponent(PAYLOAD)}&extra=1`,
      'payload=%5B1%5D',
      'nothing=1',
    ]) {
      const headers = await githubHeaders(body, 'application/x-www-form-urlencoded')
      expect(answered(await send(url, { headers, body })).status).toBe(400)
    }
    expect(events).toEqual([])
  })

  it('refuses a declared oversize body with 413 before reading a byte of it', async () => {
    const { url, events } = await serve({ maxBodyBytes: 1024 })
    const headers = { ...(await githubHeaders(PAYLOAD)), 'content-length': 10 * 1024 * 1024 * 1024 }
    // The client sends the headers only: the answer cannot depend on reading the body.
    const answer = answered(await send(url, { headers, body: () => undefined }))
    expect(answer).toMatchObject({ status: 413, headers: { connection: 'close' } })
    expect(events).toEqual([])
  })

  it('cuts off an endless chunked body at the limit: 413 or a closed connection, never onEvent', async () => {
    const { url, events, errors } = await serve({ maxBodyBytes: 64 * 1024 })
    const headers = await githubHeaders(PAYLOAD)
    const chunk = Buffer.alloc(16 * 1024, 'a')
    const result = await send(url, {
      headers,
      body: (write) => {
        // Keep writing until the server answers or closes; at most 64 MiB so the test ends.
        let sent = 0
        const pump = (): void => {
          while (sent < 64 * 1024 * 1024) {
            sent += chunk.length
            if (!write(chunk)) return void setTimeout(pump, 1)
          }
        }
        pump()
      },
    })
    if ('status' in result) expect(result.status).toBe(413)
    expect(events).toEqual([])
    expect(errors.map((error) => error.httpStatus)).toEqual([413])
  })

  it('answers 408 to a client that stops sending its body', async () => {
    const { url, events } = await serve({ bodyTimeoutMs: 100 })
    const headers = { ...(await githubHeaders(PAYLOAD)), 'content-length': PAYLOAD.length }
    const answer = answered(
      await send(url, { headers, body: (write) => write(PAYLOAD.slice(0, 10)) }),
    )
    expect(answer.status).toBe(408)
    expect(events).toEqual([])
  })

  it('answers 202 "still processing" when onEvent is slow, and lets it finish', async () => {
    let release: () => void = () => undefined
    const gate = new Promise<void>((resolve) => (release = resolve))
    const finished: string[] = []
    const { url, errors } = await serve({
      respondWithinMs: 0,
      onEvent: async (event) => {
        await gate
        finished.push(event.deliveryId)
      },
    })
    const answer = answered(
      await send(url, { headers: await githubHeaders(PAYLOAD), body: PAYLOAD }),
    )
    expect(answer).toMatchObject({ status: 202, body: 'still processing\n' })
    expect(finished).toEqual([])
    release()
    await gate
    await new Promise((resolve) => setImmediate(resolve))
    expect(finished).toEqual(['72d3162e-cc78-11e3-81ab-4c9367dc0958'])
    expect(errors).toEqual([])
  })

  it('answers 500 when onEvent throws, and reports it with the cause', async () => {
    const { url, errors } = await serve({
      onEvent: () => {
        throw new Error('database down')
      },
    })
    const answer = answered(
      await send(url, { headers: await githubHeaders(PAYLOAD), body: PAYLOAD }),
    )
    expect(answer.status).toBe(500)
    expect(errors[0]?.message).toContain(
      'onEvent failed for delivery 72d3162e-cc78-11e3-81ab-4c9367dc0958 (ping)',
    )
    expect((errors[0]?.cause as Error).message).toBe('database down')
  })
})

describe('createWebhookHandler on Express', () => {
  async function serveExpress(setup: (app: express.Express, handler: WebhookHandler) => void) {
    const recorded = recorder()
    const app = express()
    setup(app, recorded.handler)
    const server = await listen(app)
    close = server.close
    return { ...recorded, url: server.url }
  }

  it('works as a route handler, and after express.raw()', async () => {
    for (const setup of [
      (app: express.Express, handler: WebhookHandler) => app.post('/github', handler),
      (app: express.Express, handler: WebhookHandler) =>
        app.post('/github', express.raw({ type: '*/*' }), handler),
    ]) {
      const { url, events } = await serveExpress(setup)
      const answer = answered(
        await send(`${url}/github`, { headers: await githubHeaders(PAYLOAD), body: PAYLOAD }),
      )
      expect(answer.status).toBe(200)
      expect(events).toHaveLength(1)
      await close?.()
      close = undefined
    }
  })

  it('refuses to trust a body express.json() already parsed: the signature needs the raw bytes', async () => {
    const { url, events, errors } = await serveExpress((app, handler) =>
      app.post('/github', express.json(), handler),
    )
    const answer = answered(
      await send(`${url}/github`, { headers: await githubHeaders(PAYLOAD), body: PAYLOAD }),
    )
    expect(answer.status).toBe(500)
    expect(events).toEqual([])
    expect(errors[0]).toMatchObject({ kind: 'config' })
    expect(errors[0]?.message).toContain(
      'mount the handler before express.json() or use express.raw()',
    )
  })
})

describe('createWebhookHandler options', () => {
  it('names each bad option', () => {
    const error = thrown(() =>
      createWebhookHandler({ secret: '', onEvent: 'no', maxBodyBytes: 26 * 1024 * 1024 } as never),
    )
    expect(error.kind).toBe('config')
    expect(error.message).toContain("secret: expected the webhook's secret, not an empty string")
    expect(error.message).toContain(
      'onEvent: expected a function called with each verified delivery',
    )
    expect(error.message).toContain("maxBodyBytes: expected at most 26214400 bytes (GitHub's cap)")
  })
})
