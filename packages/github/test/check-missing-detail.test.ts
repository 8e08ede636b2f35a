import { createServer, type Server } from 'node:http'
import { createGitHubTester, type GitHubTester } from '@notiprobe/github'
import { afterEach, describe, expect, it } from 'vitest'

/**
 * A failed delivery is listed, but its detail answers 404 (it aged out of GitHub's 3-day log
 * between the two calls, or the detail is not readable yet). The list item already proves the
 * delivery failed; the detail is only the receiver's answer as evidence.
 */

const PATH = '/repos/octo/hello/hooks/7/deliveries'
let server: Server | undefined
let tester: GitHubTester | undefined

afterEach(async () => {
  tester?.close()
  await new Promise<void>((resolve) => {
    if (server === undefined) resolve()
    else {
      server.close(() => resolve())
      server.closeAllConnections()
    }
  })
  server = undefined
})

async function githubWithoutDetail(detailStatus: number): Promise<string[]> {
  const seen: string[] = []
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    seen.push(`${req.method ?? ''} ${url.pathname}`)
    if (req.method === 'POST') {
      res.writeHead(204).end()
    } else if (url.pathname === PATH) {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(
        JSON.stringify([
          {
            id: 42,
            guid: '0b989ba4-242f-11e5-81e1-c7b6966d2516',
            delivered_at: new Date(Date.now() + 60_000).toISOString().replace(/\.\d+Z$/, 'Z'),
            redelivery: false,
            duration: 0.2,
            status: 'Invalid HTTP Response: 502',
            status_code: 502,
            event: 'ping',
            action: null,
            installation_id: null,
            repository_id: 1,
          },
        ]),
      )
    } else {
      res.writeHead(detailStatus, { 'content-type': 'application/json' })
      res.end(
        JSON.stringify({ message: 'Not Found', documentation_url: 'https://docs.github.com' }),
      )
    }
  })
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  tester = createGitHubTester({
    baseUrl: `http://127.0.0.1:${String(address.port)}`,
    target: { owner: 'octo', repo: 'hello', hookId: 7 },
    auth: { token: 'ghp_missingDetail0123456789' },
    retry: { maxAttempts: 1 },
  })
  return seen
}

describe('check() when the failed delivery is listed but its detail answers 404', () => {
  it('reports the failure from the list item, without evidence, and says why', async () => {
    const seen = await githubWithoutDetail(404)
    const ticket = await tester!.send()
    const outcome = await tester!.check(ticket)
    expect(outcome.state).toBe('failed')
    expect(outcome.evidence).toBeUndefined()
    expect(outcome.attempts).toEqual([
      expect.objectContaining({ result: '502 Invalid HTTP Response: 502', succeeded: false }),
    ])
    expect(outcome.warnings).toEqual([
      "GitHub listed delivery 42 but answered 404 for its detail (it may have left the log), so the receiver's answer is not shown.",
    ])
    expect(seen).toEqual(['POST /repos/octo/hello/hooks/7/pings', `GET ${PATH}`, `GET ${PATH}/42`])
  })
})
