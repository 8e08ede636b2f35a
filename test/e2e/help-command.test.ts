import { describe, expect, it } from 'vitest'
import { cli, json, startVendors } from './helpers.js'

describe.concurrent('notiprobe help <command>', () => {
  it.each([
    [['apple'], 'Usage: notiprobe apple [options] [command]'],
    [['apple', 'test'], 'Usage: notiprobe apple test [options]'],
    [['sailpoint', 'templates'], 'Usage: notiprobe sailpoint templates [options]'],
    [['run'], 'Usage: notiprobe run [options]'],
    [[], 'Usage: notiprobe [options] [command]'],
  ])('help %j prints what --help prints', async (words, usage) => {
    const [help, flag] = await Promise.all([cli(['help', ...words]), cli([...words, '--help'])])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain(usage)
    expect(help.stdout).toBe(flag.stdout)
  })

  it('an unknown command exits 2 and lists the ones there are', async () => {
    const result = await cli(['help', 'apple', 'tset'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(
      "unknown command 'apple tset'; notiprobe help <command> takes one of: apple test, apple status, apple history, apple perf-test, apple verify",
    )
    expect(result.stdout).toBe('')
  })
})

describe.concurrent('--help marks the options a command cannot run without', () => {
  it.each([
    [
      ['sailpoint', 'test'],
      ['--key <key>', '--medium <medium>'],
    ],
    [['apple', 'history'], ['--since <date|duration>']],
  ])('%j', async (command, required) => {
    const { stdout } = await cli([...command, '--help'])
    // An option's help runs from its flags to the next option: "(required)" must be in it.
    const options = stdout.split(/\n(?= {2}-)/)
    for (const flag of required) {
      const help = options.find((o) => o.trimStart().startsWith(flag))
      expect(help, flag).toMatch(/\(required\)/)
    }
    const marked = options.filter((o) => o.includes('(required)'))
    expect(marked).toHaveLength(required.length)
  })
})

describe('the help examples', () => {
  it('name template keys the simulator has, in mediums it has them in', async () => {
    const { stdout } = await cli(['sailpoint', 'test', '--help'])
    const examples = [...stdout.matchAll(/--key (\S+) --medium (\S+)/g)].map((m) => [m[1], m[2]])
    expect(examples.length).toBeGreaterThan(1)
    const vendors = await startVendors()
    try {
      const listing = json<{ templates: { key: string; medium: string }[] }>(
        await cli(['sailpoint', 'templates', '--json', '--no-variables'], {
          env: { ...vendors.env, SAIL_BASE_URL: vendors.sailpoint.baseUrl },
        }),
      )
      const offered = new Set(listing.templates.map((t) => `${t.key} ${t.medium}`))
      for (const [key, medium] of examples)
        expect(offered, `${key} ${medium}`).toContain(`${key} ${medium}`)
    } finally {
      await vendors.close()
    }
  })
})
