import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cli, json, startVendors, type Vendors } from './helpers.js'

/**
 * The advice JUnit carries (what to do) is in the human log too, for `run` and for the
 * single-vendor commands, and piped output (80 columns) never cuts it, nor a request id.
 */
let vendors: Vendors
/** Apple's delivery fails (404 from the app server); SailPoint's send answers 500. */
let failing: Vendors

beforeAll(async () => {
  ;[vendors, failing] = await Promise.all([startVendors(), startVendors()])
  failing.apple.setNotificationUrl(`${failing.apple.baseUrl}/nowhere`)
  failing.sailpoint.faults.set('sendTestNotification', { kind: 'status', status: 500 })
})

afterAll(async () => {
  await Promise.all([vendors.close(), failing.close()])
})

const checks = [
  {
    key: 'cloud_manual_work_item_summary',
    medium: 'EMAIL',
    context: { numberOfPendingTasks: '1' },
  },
]

describe.concurrent('advice in the log', () => {
  it('run: a failure and an error show, in the log and in JUnit, the same whole advice and request id', async () => {
    const file = join(failing.dir, 'advice.json')
    await writeFile(file, JSON.stringify({ timeout: '20s', apple: {}, sailpoint: { checks } }))
    const hosts = [
      '--apple-base-url',
      failing.apple.baseUrl,
      '--sailpoint-base-url',
      failing.sailpoint.baseUrl,
    ]
    const junit = join(failing.dir, 'advice.xml')
    const asJson = await cli(['run', '--config', file, '--json', ...hosts], { env: failing.env })
    const [apple, sailpoint] = json<{
      results: { summary?: string; error?: { hint: string; requestId?: string; message: string } }[]
    }>(asJson).results
    const summary = apple?.summary ?? '?'
    const hint = sailpoint?.error?.hint ?? '?'
    const requestId = sailpoint?.error?.requestId ?? '?'
    expect(summary).toMatch(/^Not delivered/)
    expect(requestId).toMatch(/^[0-9a-f]{32}$/)
    expect(hint).toContain(`Quote request id ${requestId} to SailPoint support`)

    const human = await cli(['run', '--config', file, '--junit', junit, ...hosts], {
      env: failing.env,
    })
    expect(human.code).toBe(4)
    // The advice of this run's JUnit, each whole in its log: the log is a pipe (80 columns), and
    // the advice is longer than that.
    const xml = await readFile(junit, 'utf8')
    const advice = [...xml.matchAll(/what to do: ([^<]*)<\/(failure|error)>/g)].map((m) =>
      (m[1] ?? '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'),
    )
    expect(advice).toHaveLength(2)
    expect(advice[0]).toMatch(/^Not delivered: /)
    expect(advice[1]).toMatch(
      /^SailPoint had a problem on its side: try again later\. Quote request id [0-9a-f]{32}/,
    )
    for (const text of advice) {
      expect(text.length).toBeGreaterThan(80)
      expect(human.stderr).toContain(`what to do ${text}`)
    }
    expect(human.stdout).not.toContain('…') // the report: no cell cut
    const loggedId = /request id ([0-9a-f]{32})/.exec(human.stdout)?.[1]
    expect(advice[1]).toContain(`Quote request id ${loggedId ?? '?'} `)
  })

  it('single-vendor commands: an error prints its hint, a failed delivery its advice', async () => {
    const sail = await cli(
      [
        'sailpoint',
        'test',
        '--key',
        'cloud_manual_work_item_summary',
        '--medium',
        'EMAIL',
        '--context',
        '{"numberOfPendingTasks":"1"}',
        '--base-url',
        failing.sailpoint.baseUrl,
      ],
      { env: failing.env },
    )
    expect(sail.code).toBe(4)
    const requestId = /request id\s+([0-9a-f]{32})/.exec(sail.stderr)?.[1] ?? '?'
    expect(sail.stderr).toMatch(
      new RegExp(
        `what to do\\s+SailPoint had a problem on its side: try again later\\. Quote request id ${requestId} to SailPoint support if it persists\\.`,
      ),
    )

    const apple = await cli(['apple', 'test', '--wait', '--base-url', failing.apple.baseUrl], {
      env: failing.env,
    })
    expect(apple.code).toBe(1)
    expect(apple.stdout).toMatch(/summary\s+Not delivered/)

    const config = await cli(['apple', 'test'], { env: {} })
    expect(config.code).toBe(2)
    expect(config.stderr).toContain(
      'what to do   Fix the setting named in the message (command-line option, environment variable or config file); nothing was sent.',
    )
  })
})
