import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { createGitHubTester, type GitHubTester } from '@notiprobe/github'
import { rejectionOf } from '@notiprobe/core/testing'
import { afterEach, describe, expect, it } from 'vitest'
import { closeServer, listen } from '../support/servers.js'

/**
 * A hostile GitHub serving the deliveries log: cursors that never end or come back, pages far
 * larger than asked for, links to other hosts. Every case ends in a typed error within the call's
 * deadline, having read a bounded amount.
 */

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => void

let close: (() => Promise<void>) | undefined
const testers: GitHubTester[] = []

afterEach(async () => {
  for (const tester of testers.splice(0)) tester.close()
  await close?.()
  close = undefined
})

async function hostile(handler: Handler): Promise<{ tester: GitHubTester; hits: () => number }> {
  let hits = 0
  const server = createServer((req, res) => {
    hits++
    handler(req, res, new URL(req.url ?? '/', 'http://127.0.0.1'))
  })
  const baseUrl = await listen(server)
  close = () => closeServer(server)
  const tester = createGitHubTester({
    baseUrl,
    target: { owner: 'octo', repo: 'hello', hookId: 7 },
    auth: { token: 'ghp_hostileTest0123456789' },
    timeoutMs: 5_000,
    retry: { maxAttempts: 1 },
  })
  testers.push(tester)
  return { tester, hits: () => hits }
}

let nextId = 1
function item(at: number, event = 'push') {
  return {
    id: nextId++,
    guid: '0b989ba4-242f-11e5-81e1-c7b6966d2516',
    delivered_at: new Date(at).toISOString().replace(/\.\d+Z$/, 'Z'),
    redelivery: false,
    duration: 0.1,
    status: 'OK',
    status_code: 200,
    event,
    action: null,
    installation_id: null,
    repository_id: 1,
  }
}

function page(res: ServerResponse, items: unknown[], link?: string) {
  res.writeHead(200, {
    'content-type': 'application/json',
    ...(link === undefined ? {} : { link }),
  })
  res.end(JSON.stringify(items))
}

const PATH = '/repos/octo/hello/hooks/7/deliveries'

describe('hostile deliveries logs', () => {
  it('an endless cursor (always a new one): listDeliveries ends at its deadline with timeout', async () => {
    let cursor = 0
    const { tester, hits } = await hostile((req, res) => {
      const host = req.headers.host ?? ''
      page(
        res,
        [item(Date.now())],
        `<http://${host}${PATH}?per_page=100&cursor=${++cursor}>; rel="next"`,
      )
    })
    const iterate = async () => {
      await drain(tester.listDeliveries({ timeoutMs: 300 }))
    }
    const error = await rejectionOf(iterate())
    expect(error.kind).toBe('timeout')
    expect(hits()).toBeGreaterThan(1)
  })

  it('an endless cursor of recent deliveries: check() stops after a bounded number of pages', async () => {
    let cursor = 0
    const { tester, hits } = await hostile((req, res) => {
      if (req.method === 'POST') {
        res.writeHead(204).end()
        return
      }
      const host = req.headers.host ?? ''
      page(
        res,
        [item(Date.now() + 60_000)],
        `<http://${host}${PATH}?per_page=100&cursor=${++cursor}>; rel="next"`,
      )
    })
    const ticket = await tester.send()
    const error = await rejectionOf(tester.check(ticket))
    expect(error.kind).toBe('invalid_response')
    expect(error.message).toContain('without reaching the time of the send')
    expect(hits()).toBe(1 + 50)
  })

  it('a cursor that comes back: refused as a loop at once', async () => {
    const { tester, hits } = await hostile((req, res, url) => {
      const host = req.headers.host ?? ''
      const next = url.searchParams.get('cursor') === 'a' ? 'b' : 'a'
      page(
        res,
        [item(Date.now())],
        `<http://${host}${PATH}?per_page=100&cursor=${next}>; rel="next"`,
      )
    })
    const error = await rejectionOf(
      tester
        .listDeliveries()
        .next()
        .then(async () => {
          await drain(tester.listDeliveries())
        }),
    )
    expect(error.kind).toBe('invalid_response')
    expect(error.message).toContain('a cursor that repeats')
    expect(hits()).toBeLessThanOrEqual(4)
  })

  it('a page far larger than asked for: refused before any item is checked', async () => {
    const { tester } = await hostile((_req, res) =>
      page(
        res,
        Array.from({ length: 5_000 }, () => item(Date.now())),
      ),
    )
    const error = await rejectionOf(tester.listDeliveries().next())
    expect(error.kind).toBe('invalid_response')
    expect(error.message).toContain('held 5000 deliveries where 100 were asked for')
  })

  it('a body past the size bound: cut off, invalid_response', async () => {
    const { tester } = await hostile((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      const chunk = Buffer.alloc(1024 * 1024, 0x20)
      let sent = 0
      const write = (): void => {
        while (sent < 64 && !res.destroyed) {
          sent++
          if (!res.write(chunk)) {
            res.once('drain', write)
            return
          }
        }
        res.end()
      }
      write()
    })
    const error = await rejectionOf(tester.listDeliveries().next())
    expect(error.kind).toBe('invalid_response')
  })

  it('a next link to another host or another path: refused, the token goes nowhere else', async () => {
    for (const link of [
      '<https://evil.example/steal?cursor=1>; rel="next"',
      `<http://127.0.0.1:1/repos/octo/other/hooks/7/deliveries?cursor=1>; rel="next"`,
    ]) {
      const { tester } = await hostile((req, res) => {
        const host = req.headers.host ?? ''
        page(res, [item(Date.now())], link.replace('127.0.0.1:1', host))
      })
      const error = await rejectionOf(
        tester
          .listDeliveries()
          .next()
          .then(() => tester.listDeliveries().next())
          .then(async () => {
            await drain(tester.listDeliveries())
          }),
      )
      expect(error.kind).toBe('invalid_response')
      expect(error.message).toMatch(/another (host|path)/)
      await close?.()
      close = undefined
    }
  })

  it('deliveries that are not GitHub’s shape: invalid_response naming the field', async () => {
    const { tester } = await hostile((_req, res) =>
      page(res, [{ ...item(Date.now()), delivered_at: 'yesterday' }]),
    )
    const error = await rejectionOf(tester.listDeliveries().next())
    expect(error.kind).toBe('invalid_response')
    expect(error.message).toContain('delivered_at')
  })
})

describe('a hostile Date on the ping’s answer', () => {
  it('a Date no GitHub could stamp is not taken: the ticket checks, and finds the ping', async () => {
    const sent = Date.now()
    for (const date of ['Thu, 01 Jan 1960 00:00:00 GMT', 'Sat, 01 Jan 2201 00:00:00 GMT']) {
      const { tester } = await hostile((req, res) => {
        if (req.method === 'POST') {
          res.writeHead(204, { date })
          res.end()
        } else page(res, [item(sent, 'ping')])
      })
      const ticket = await tester.send()
      expect(Math.abs(ticket.details.since - sent)).toBeLessThan(60_000)
      expect((await tester.check(ticket)).state).toBe('delivered')
      await close?.()
      close = undefined
    }
  })
})

/** Every item of an iterator (Array.fromAsync needs Node 22). */
async function drain<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const item of items) out.push(item)
  return out
}
