import { writeFile } from 'node:fs/promises'
import { createServer, type Server, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cli, json, startCli, startVendors, type Vendors } from './helpers.js'

/**
 * `run` within its timeout, what Ctrl-C says before anything was sent, and what `run` says of the
 * vendors it skipped: the built binary against the simulators.
 */
let stalled: Vendors
let plain: Vendors
let silentProxy: { url: string; asked: Promise<void>; close(): Promise<void> }

beforeAll(async () => {
  ;[stalled, plain, silentProxy] = await Promise.all([
    startVendors(),
    startVendors(),
    startSilentProxy(),
  ])
  // Apple takes the request and never answers; SailPoint's template list never answers either.
  stalled.apple.faults.set('requestTestNotification', { kind: 'latency', latencyMs: 60_000 })
  stalled.sailpoint.faults.set('listTemplates', { kind: 'latency', latencyMs: 60_000 })
})

afterAll(async () => {
  await Promise.all([stalled.close(), plain.close(), silentProxy.close()])
})

/** A "proxy" that accepts connections and never answers a CONNECT: a wait before any send. */
async function startSilentProxy(): Promise<{
  url: string
  asked: Promise<void>
  close(): Promise<void>
}> {
  const sockets = new Set<Socket>()
  let asked: () => void = () => undefined
  const askedOnce = new Promise<void>((done) => (asked = done))
  const server: Server = createServer((socket) => {
    sockets.add(socket)
    socket.on('data', () => asked())
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    asked: askedOnce,
    close: () =>
      new Promise((done) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => done())
      }),
  }
}

const sailpointCheck = {
  key: 'cloud_manual_work_item_summary',
  medium: 'EMAIL',
  context: { numberOfPendingTasks: '2' },
}

describe.concurrent('run --timeout bounds the whole run', () => {
  it('a stalled send ends as timeout (exit 4) and the check whose turn comes after is never sent', async () => {
    const file = join(stalled.dir, 'one-at-a-time.json')
    await writeFile(
      file,
      JSON.stringify({ concurrency: 1, apple: {}, sailpoint: { checks: [sailpointCheck] } }),
    )
    const outboxBefore = stalled.sailpoint.inspect().outbox.length
    const result = await cli(
      [
        'run',
        '--config',
        file,
        '--timeout',
        '2s',
        '--json',
        '--apple-base-url',
        stalled.apple.baseUrl,
        '--sailpoint-base-url',
        stalled.sailpoint.baseUrl,
      ],
      // Apple's own default deadline for a send is 30 s: only the run's timeout can end it sooner.
      { env: stalled.env, killAfterMs: 20_000 },
    )
    expect(result.signal).toBeNull()
    expect(result.code).toBe(4)
    const doc = json<{
      results: {
        name: string
        state: string
        error?: { kind: string; operation: string; message: string }
      }[]
    }>(result)
    expect(doc.results.map((r) => [r.name, r.state, r.error?.kind, r.error?.operation])).toEqual([
      ['apple', 'timeout', 'timeout', 'apple.requestTestNotification'],
      ['sailpoint cloud_manual_work_item_summary EMAIL', 'timeout', 'timeout', 'notiprobe.runAll'],
    ])
    expect(doc.results[1]?.error?.message).toContain('was not sent')
    expect(stalled.sailpoint.inspect().outbox).toHaveLength(outboxBefore)
    expect(stalled.sailpoint.inspect().requests).not.toContainEqual(
      expect.objectContaining({ endpoint: 'sendTestNotification' }),
    )
  })
})

describe.concurrent('Ctrl-C before anything was sent', () => {
  it("while SailPoint's pre-flight is stalled: aborted, and no word of a request received", async () => {
    const preflights = (): number =>
      stalled.sailpoint.inspect().faults.count.byEndpoint.listTemplates ?? 0
    const before = preflights()
    const running = startCli(
      [
        'sailpoint',
        'test',
        '--key',
        sailpointCheck.key,
        '--medium',
        sailpointCheck.medium,
        '--context',
        JSON.stringify(sailpointCheck.context),
        '--base-url',
        stalled.sailpoint.baseUrl,
      ],
      { env: stalled.env },
    )
    await waitFor(() => preflights() > before)
    running.child.kill('SIGINT')
    const result = await running.done
    expect(result.code).toBe(130)
    expect(result.stderr).toContain('was aborted by the caller')
    expect(result.stderr).not.toContain('may still have received')
  })

  it('while the proxy has not opened the tunnel: Apple was not sent anything, and it says so', async () => {
    const running = startCli(['apple', 'test', '--base-url', 'https://api.storekit.example'], {
      env: { ...plain.env, HTTPS_PROXY: silentProxy.url },
    })
    const early = await Promise.race([silentProxy.asked, running.done])
    expect(early, 'the CLI ended before asking the proxy').toBeUndefined()
    running.child.kill('SIGINT')
    const result = await running.done
    expect(result.code).toBe(130)
    expect(result.stderr).toContain(
      'Requesting the Apple test notification was aborted by the caller.',
    )
    expect(result.stderr).not.toContain('may still have received')
  })

  it('while Apple holds a request it received: it says Apple may have it', async () => {
    // Its own simulator: another test's request must not count as this one's.
    const holding = await startVendors()
    try {
      holding.apple.faults.set('requestTestNotification', { kind: 'latency', latencyMs: 60_000 })
      const running = startCli(['apple', 'test', '--base-url', holding.apple.baseUrl], {
        env: holding.env,
      })
      await waitFor(
        () => (holding.apple.inspect().faults.count.byEndpoint.requestTestNotification ?? 0) > 0,
      )
      running.child.kill('SIGINT')
      const result = await running.done
      expect(result.code).toBe(130)
      expect(result.stderr).toContain('apple may still have received the request.')
    } finally {
      await holding.close()
    }
  })
})

describe.concurrent('run without a config file', () => {
  it('says it skipped SailPoint and GitHub and why, in the summary line too', async () => {
    const result = await cli(['run', '--apple-base-url', plain.apple.baseUrl], {
      env: { ...plain.env, GITHUB_TOKEN: 'ghp_not_a_real_token_0000000000000000' },
      cwd: plain.dir,
    })
    expect(result.code).toBe(0)
    expect(result.stderr).toContain(
      '! SailPoint skipped: SAIL_CLIENT_ID is set, but a SailPoint check needs a template key and medium, which only a config file gives: list them as sailpoint.checks in notiprobe.config.json (or --config).',
    )
    expect(result.stderr).toContain(
      '! GitHub skipped: GITHUB_TOKEN is set, but no hook to test: set GITHUB_HOOK_ID (with GITHUB_REPOSITORY or GITHUB_ORG), or GITHUB_HOOK_TARGET=app, or name it in notiprobe.config.json.',
    )
    expect(result.stderr).toMatch(
      /^✔ All 1 checks passed; skipped SailPoint \(no config file names its templates\), GitHub \(no hook id\) \(/m,
    )
    expect(result.stderr).not.toContain('ghp_not_a_real_token')
  })

  it('lists the skipped vendors in --json too', async () => {
    const result = await cli(['run', '--json', '--apple-base-url', plain.apple.baseUrl], {
      env: { ...plain.env, GITHUB_TOKEN: 'ghp_not_a_real_token_0000000000000000' },
      cwd: plain.dir,
    })
    expect(result.code).toBe(0)
    const doc = json<{ skipped?: { vendor: string; reason: string }[] }>(result)
    expect(doc.skipped?.map((s) => s.vendor)).toEqual(['SailPoint', 'GitHub'])
    expect(doc.skipped?.[0]?.reason).toContain('sailpoint.checks in notiprobe.config.json')
    expect(result.stdout).not.toContain('ghp_not_a_real_token')
  })
})

/** Resolves once `ready()` holds, polling the simulator's own inspection. */
async function waitFor(ready: () => boolean): Promise<void> {
  while (!ready()) await new Promise((done) => setTimeout(done, 20))
}
