import { describe, expect, it } from 'vitest'
import { ANSI, cli, json } from './helpers.js'

interface DemoCheck {
  vendor: string
  check: string
  state: string
  ok: boolean
  evidence: string
  timings: { startedAt: string; endedAt: string; durationMs: number }
  ticket?: { id: string; requestedAt: string }
  details: Record<string, unknown>
}

describe.concurrent('notiprobe demo', () => {
  it('passes every check and gives one JSON document', async () => {
    const result = await cli(['demo', '--json'], { env: {} })
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const doc = json<{
      ok: boolean
      timings: { durationMs: number }
      results: DemoCheck[]
    }>(result)
    expect(doc.ok).toBe(true)
    expect(doc.results.map((c) => [c.vendor, c.check, c.state, c.ok])).toEqual([
      ['apple', 'test notification', 'delivered', true],
      ['apple', 'notification history', 'listed', true],
      ['apple', 'performance test', 'PASS', true],
      ['sailpoint', 'test notification', 'accepted', true],
      ['github', 'webhook ping', 'delivered', true],
    ])
    const [test, history, perf, sail, ping] = doc.results
    expect(test?.details.notification).toMatchObject({ notificationType: 'TEST' })
    expect(history?.details.notificationUUID).toBe(
      (test?.details.notification as { notificationUUID: string }).notificationUUID,
    )
    expect(perf?.details.result).toMatchObject({ result: 'PASS', numPending: 0 })
    expect(sail?.details.outbox).toMatchObject({
      key: 'cloud_manual_work_item_summary',
      medium: 'EMAIL',
    })
    // The receiver verified the ping's signature; the log's delivery is that same GUID.
    const received = ping?.details.received as { guid: string; event: string }
    expect(received.event).toBe('ping')
    expect(ping?.details.delivery).toMatchObject({ guid: received.guid, status_code: 200 })
    // Well under a minute; about two seconds on a developer machine.
    expect(doc.timings.durationMs).toBeLessThan(20_000)
    // Each test notification's ticket carries the time the vendor accepted it.
    for (const check of [test, sail, ping])
      expect(Date.parse(check?.ticket?.requestedAt ?? '')).not.toBeNaN()
  })

  it('shows live progress and ends with one table, and the process exits by itself', async () => {
    const result = await cli(['demo'], { env: {} })
    expect(result.code).toBe(0)
    expect(result.signal).toBeNull()
    // Off a terminal the report is 80 columns wide at most: too narrow for the evidence, so one
    // block per check, every value whole on its line.
    expect(result.stdout).toMatch(
      /^apple\n {2}check\s+test notification\n {2}state\s+✔ delivered\n {2}evidence\s+TEST [0-9a-f-]{36}: SUCCESS/m,
    )
    expect(result.stdout.match(/✔ (delivered|listed|PASS|accepted)/g)).toHaveLength(5)
    expect(result.stdout).toMatch(/All 5 checks passed in \d/)
    for (const step of [
      '1/5 Apple test notification',
      '2/5 Apple notification history',
      '3/5 Apple performance test',
      '4/5 SailPoint test notification',
      '5/5 GitHub webhook ping',
    ]) {
      expect(result.stderr).toContain(`✔ ${step}`)
    }
    expect(result.stdout + result.stderr).not.toContain(ANSI)
  })

  it('colours only when forced, and never with NO_COLOR', async () => {
    // Any command will do: the output layer is shared. `--help` needs no simulator.
    const forced = await cli(['apple', 'status', 'x', '--base-url', 'http://example.com'], {
      env: { FORCE_COLOR: '1' },
    })
    expect(forced.code).toBe(2)
    expect(forced.stderr).toContain(`${ANSI}31m✖`)
    const vetoed = await cli(['apple', 'status', 'x', '--base-url', 'http://example.com'], {
      env: { FORCE_COLOR: '1', NO_COLOR: '1' },
    })
    expect(vetoed.code).toBe(2)
    expect(vetoed.stdout + vetoed.stderr).not.toContain(ANSI)
  })
})
