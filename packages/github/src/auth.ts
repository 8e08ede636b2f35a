import { KeyObject } from 'node:crypto'
import { z } from '@notiprobe/core/zod'
import { expected, oneOfShapes } from './fields.js'
import { githubIdSchema, type GitHubId } from './github-id.js'
import { loadAppPrivateKey } from './private-key.js'
import { SecretText } from './secret-text.js'

/**
 * How the tester authenticates: a token (a fine-grained or classic personal access token, or an
 * installation token), or a GitHub App, which signs JWTs and exchanges them for installation tokens.
 */
export type GitHubAuth =
  | { readonly token: string }
  | {
      readonly appId?: number | string | bigint
      readonly clientId?: string
      /** The App's private key: PEM text (PKCS#1 as GitHub downloads it, or PKCS#8) or a KeyObject. */
      readonly privateKey: string | KeyObject
      readonly installationId?: number | string | bigint
    }

export type ResolvedAuth =
  | { readonly type: 'token'; readonly token: SecretText }
  | {
      readonly type: 'app'
      /** The JWT's `iss`: the client id when given (GitHub's advice), else the app id. */
      readonly issuer: string
      readonly privateKey: KeyObject
      readonly installationId: GitHubId | undefined
    }

/**
 * Visible ASCII only: a token goes into a header, where a line break could add headers. Its
 * length and prefix are not checked: GitHub's stateless installation tokens are longer than the
 * 40 characters older ones had.
 */
const TOKEN = /^[\x21-\x7e]{1,8192}$/
/** Client ids look like `Iv1.8a61f9b3a7aba766` or `Iv23li…`; only what a JWT claim can hold. */
const CLIENT_ID = /^[A-Za-z0-9._-]{1,100}$/

/** A token as given: the same rule for the option and for `GH_TOKEN`/`GITHUB_TOKEN`. */
export const tokenSchema = z.string(expected('a GitHub token')).check(
  z.trim(),
  z.regex(TOKEN, {
    error: 'expected a GitHub token: visible characters only, without spaces or line breaks',
  }),
)

export const clientIdSchema = z
  .string(expected("the GitHub App's client id, e.g. Iv1.8a61f9b3a7aba766"))
  .check(
    z.trim(),
    z.regex(CLIENT_ID, { error: "expected the GitHub App's client id, e.g. Iv1.8a61f9b3a7aba766" }),
  )

const tokenAuth = z.pipe(
  z.strictObject({ token: tokenSchema }),
  z.transform((value): ResolvedAuth => ({ type: 'token', token: new SecretText(value.token) })),
)

const appAuth = z.pipe(
  z.strictObject({
    appId: z.optional(githubIdSchema("the GitHub App's id")),
    clientId: z.optional(clientIdSchema),
    privateKey: z.pipe(
      z.union(
        [z.string(), z.custom<KeyObject>((value) => value instanceof KeyObject)],
        expected("the GitHub App's private key: PEM text or a KeyObject"),
      ),
      z.transform((value, ctx): KeyObject => {
        const loaded = loadAppPrivateKey(value)
        if ('key' in loaded) return loaded.key
        ctx.addIssue({ code: 'custom', message: loaded.problem })
        return z.NEVER
      }),
    ),
    installationId: z.optional(githubIdSchema("the installation's id")),
  }),
  z.transform((value, ctx): ResolvedAuth => {
    const issuer = value.clientId ?? value.appId
    if (issuer === undefined) {
      ctx.addIssue({
        code: 'custom',
        message:
          'needs clientId (recommended on GitHub.com) or appId (needed on GitHub Enterprise Server 3.13 and older)',
      })
      return z.NEVER
    }
    if (value.clientId !== undefined && value.appId !== undefined) {
      ctx.addIssue({
        code: 'custom',
        message: 'takes clientId or appId, not both: the JWT names one issuer',
      })
      return z.NEVER
    }
    return {
      type: 'app',
      issuer,
      privateKey: value.privateKey,
      installationId: value.installationId,
    }
  }),
)

const AUTH_SHAPES =
  'a token {token} or a GitHub App {clientId or appId, privateKey, installationId?}'

export const authSchema = oneOfShapes(AUTH_SHAPES, (value) =>
  'token' in value ? tokenAuth : appAuth,
)
