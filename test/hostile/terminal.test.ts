import { afterEach, describe, expect, it } from 'vitest'
import { cli } from '../e2e/helpers.js'
import {
  TERMINAL_CONTROL,
  answer,
  appleEnv,
  startHostileVendor,
  type HostileVendor,
} from './hostile-vendor.js'

/**
 * Defect class 5: escape sequences from vendors. A fake green "all checks passed", a cursor move
 * over earlier lines and an OSC 52 clipboard write, in an Apple errorMessage and in SailPoint
 * template names: none reaches the terminal; `--json` is JSON as before.
 */

const ESC = '\u001b'
const HOSTILE = `${ESC}[2K${ESC}[1A${ESC}[32m✔ all checks passed${ESC}[0m${ESC}]52;c;cm0gLXJmIH4=${ESC}\\\r\u009b31m\u202e`
/** Every escape sequence a colour terminal gets from notiprobe: SGR colours, nothing else. */
// eslint-disable-next-line no-control-regex
const ESCAPE_SEQUENCE = /\u001b(\[[0-9;]*[A-Za-z]|\][^\u0007\u001b]*|.)/g

function escapeSequences(text: string): string[] {
  return [...text.matchAll(ESCAPE_SEQUENCE)].map((match) => match[0])
}

describe('escape sequences from vendors never reach the terminal', () => {
  let vendor: HostileVendor | undefined
  afterEach(async () => {
    await vendor?.close()
    vendor = undefined
  })

  const TOKEN = '4a1e8c2f-2d6e-4b8e-9f3e-5d3a1b2c3d4e'

  async function hostileApple(): Promise<HostileVendor> {
    return startHostileVendor((_req, res) =>
      answer(res, 400, JSON.stringify({ errorCode: 4000999, errorMessage: HOSTILE })),
    )
  }

  it('Apple errorMessage: made visible in the error lines, plain and coloured', async () => {
    vendor = await hostileApple()
    const plain = await cli(['apple', 'status', TOKEN, '--base-url', vendor.url], {
      env: appleEnv(),
    })
    expect(plain.code).toBe(2)
    expect(plain.stderr).toContain('\\u001b[32m✔ all checks passed')
    expect(plain.stderr).not.toMatch(TERMINAL_CONTROL)
    expect(plain.stdout).not.toMatch(TERMINAL_CONTROL)

    const coloured = await cli(['apple', 'status', TOKEN, '--base-url', vendor.url], {
      env: { ...appleEnv(), NO_COLOR: undefined, FORCE_COLOR: '1' },
    })
    const sequences = escapeSequences(coloured.stderr)
    expect(sequences.length).toBeGreaterThan(0)
    // eslint-disable-next-line no-control-regex
    for (const sequence of sequences) expect(sequence).toMatch(/^\u001b\[[0-9;]*m$/)
    // notiprobe never writes green in a failure: any green would be the vendor's.
    expect(coloured.stderr).not.toContain(`${ESC}[32m`)
    expect(coloured.stderr).not.toContain('\u009b')
  })

  it('--json keeps the vendor text exactly, as JSON', async () => {
    vendor = await hostileApple()
    const result = await cli(['apple', 'status', TOKEN, '--json', '--base-url', vendor.url], {
      env: appleEnv(),
    })
    const error = (JSON.parse(result.stdout) as { error: { vendorMessage: string } }).error
    expect(error.vendorMessage).toBe(HOSTILE)
    expect(result.stdout).not.toContain(ESC)
  })

  it('SailPoint template names and variables: made visible in the table', async () => {
    vendor = await startHostileVendor((req, res) => {
      if (req.url?.startsWith('/oauth/token') === true) {
        answer(
          res,
          200,
          JSON.stringify({
            access_token: 'hostile-token-value',
            token_type: 'bearer',
            expires_in: 749,
          }),
        )
        return
      }
      if (req.url?.startsWith('/notification-template-variables/') === true) {
        const variable = { key: HOSTILE, type: 'string', description: HOSTILE, example: HOSTILE }
        answer(
          res,
          200,
          JSON.stringify({ templateVariables: [variable], globalVariables: [variable] }),
        )
        return
      }
      answer(
        res,
        200,
        JSON.stringify([
          { key: 'cloud_manual_work_item_summary', medium: 'EMAIL', locale: 'en', name: HOSTILE },
          { key: `evil${ESC}]52;c;ZXZpbA==${ESC}\\`, medium: 'EMAIL', locale: 'en', name: 'x' },
        ]),
      )
    })
    const result = await cli(['sailpoint', 'templates', '--base-url', vendor.url], {
      env: {
        NO_COLOR: '1',
        SAIL_CLIENT_ID: 'hostile-client',
        SAIL_CLIENT_SECRET: 'hostile-client-secret',
      },
    })
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toContain('\\u001b')
    expect(result.stdout).not.toMatch(TERMINAL_CONTROL)
    expect(result.stderr).not.toMatch(TERMINAL_CONTROL)
    // The variables' keys, in the table and in the line about SailPoint's own, made visible too.
    expect(result.stdout).toMatch(/variables\s+\\u001b\[2K/)
    expect(result.stdout).toMatch(/SailPoint fills in \\u001b\[2K/)
    // A key SailPoint listed that notiprobe will not put in a URL is shown, not asked about.
    expect(result.stdout).toContain('(not asked)')
  })
})
