import { inspect } from 'node:util'
import type { NotificationTestError } from '@notiprobe/core'
import { describe, expect, it } from 'vitest'
import { createAppJwtSource } from '../src/app-jwt.js'
import { githubOptionsFromEnv } from '../src/env.js'
import { createWebhookHandler, mapGitHubError } from '../src/index.js'
import { resolveGitHubOptions, type GitHubTesterOptions } from '../src/options.js'
import { thrown } from './helpers/errors.js'
import { listen, send } from './helpers/http.js'
import { appKey } from './helpers/keys.js'
import { ManualClock } from './helpers/manual-clock.js'

const TOKEN = 'ghp_Leak0Test0Token0Value0abcdefghijklmn'
const WEBHOOK_SECRET = 'leak-test-webhook-secret-9f8e7d'
const hook = { owner: 'octo', repo: 'hello', hookId: 1 }

/** Every way a value can be shown. */
function renderings(value: unknown): string[] {
  const error = value as Partial<NotificationTestError>
  return [
    error.message ?? '',
    error.stack ?? '',
    JSON.stringify(value),
    inspect(value),
    inspect(value, { depth: 10, showHidden: true }),
    String(value),
    inspect({ wrapped: value }),
  ]
}

function expectNoSecret(texts: readonly string[], secrets: readonly string[]): void {
  const keyLines = appKey()
    .pkcs1.split('\n')
    .filter((line) => line.length > 20 && !line.startsWith('-----'))
  for (const text of texts) {
    for (const secret of secrets) expect(text).not.toContain(secret)
    expect(text).not.toContain(appKey().body.slice(0, 64))
    for (const line of keyLines) expect(text).not.toContain(line)
    expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]+\.eyJ/)
  }
}

describe('no secret leaks', () => {
  it('resolved options print without the token or the key', () => {
    const token = resolveGitHubOptions({ target: hook, auth: { token: TOKEN } })
    const app = resolveGitHubOptions({
      target: hook,
      auth: { appId: 1, privateKey: appKey().pkcs1 },
    })
    expectNoSecret([...renderings(token), ...renderings(app)], [TOKEN])
  })

  it('option errors never quote a token or a key', () => {
    const badToken = thrown(() =>
      resolveGitHubOptions({
        target: hook,
        auth: { token: `${TOKEN} extra` },
        apiVersion: 'x',
      } as unknown as GitHubTesterOptions),
    )
    const truncatedKey = appKey().pkcs1.slice(0, 600)
    const badKey = thrown(() =>
      resolveGitHubOptions({ target: hook, auth: { appId: 1, privateKey: truncatedKey } }),
    )
    const envKey = thrown(() =>
      githubOptionsFromEnv({
        GITHUB_HOOK_TARGET: 'app',
        GITHUB_APP_ID: '1',
        GITHUB_APP_PRIVATE_KEY_FILE: appKey().pkcs1,
      }),
    )
    expectNoSecret(
      [...renderings(badToken), ...renderings(badKey), ...renderings(envKey)],
      [TOKEN, truncatedKey],
    )
  })

  it('vendor text echoing the token, a JWT or the key is redacted in mapped errors', async () => {
    resolveGitHubOptions({ target: hook, auth: { token: TOKEN } }) // registers the token
    const loaded = resolveGitHubOptions({
      target: { app: true },
      auth: { appId: 1, privateKey: appKey().pkcs1 },
    })
    if (loaded.auth.type !== 'app') throw new Error('expected App auth')
    const jwt = await createAppJwtSource({
      issuer: '1',
      privateKey: loaded.auth.privateKey,
      clock: new ManualClock(),
    }).get()
    const error = mapGitHubError({
      status: 401,
      headers: { 'x-github-request-id': 'A:B' },
      body: JSON.stringify({
        message: `Bad credentials for ${TOKEN} and ${jwt} ${appKey().pkcs1}`,
      }),
      operation: 'github.ping',
      now: 0,
    })
    expectNoSecret(renderings(error), [TOKEN, jwt, jwt.split('.')[2] ?? jwt])
  })

  it('the webhook handler never shows its secret, in answers or reported errors', async () => {
    const errors: NotificationTestError[] = []
    const handler = createWebhookHandler({
      secret: WEBHOOK_SECRET,
      onEvent: () => {
        throw new Error(`failed with ${WEBHOOK_SECRET}`)
      },
      onError: (error) => errors.push(error),
    })
    expectNoSecret([inspect(handler), String(handler)], [WEBHOOK_SECRET])
    const server = await listen(handler)
    try {
      const { signWebhookBody } = await import('../src/webhook-signature.js')
      const body = '{"zen":"x"}'
      const headers = {
        'content-type': 'application/json',
        'x-github-event': 'ping',
        'x-github-delivery': 'abc-123',
        'x-hub-signature-256': signWebhookBody(WEBHOOK_SECRET, body),
      }
      const answers = [
        await send(server.url, { headers, body }),
        await send(server.url, {
          headers: { ...headers, 'x-hub-signature-256': signWebhookBody('wrong', body) },
          body,
        }),
      ]
      expectNoSecret(
        answers.map((answer) => JSON.stringify(answer)),
        [WEBHOOK_SECRET],
      )
      expect(errors).toHaveLength(2)
      expectNoSecret(errors.flatMap(renderings), [WEBHOOK_SECRET])
    } finally {
      await server.close()
    }
  })

  it('webhook handler option errors never quote the secret', () => {
    const error = thrown(() =>
      createWebhookHandler({ secret: WEBHOOK_SECRET, onEvent: 5 } as never),
    )
    expectNoSecret(renderings(error), [WEBHOOK_SECRET])
  })
})
