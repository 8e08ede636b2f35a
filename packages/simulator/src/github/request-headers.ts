import type { IncomingMessage } from 'node:http'

/** The REST API versions GitHub.com serves; the first is the default when none is sent. */
export const GITHUB_API_VERSIONS = ['2022-11-28', '2026-03-10'] as const
export type GitHubApiVersion = (typeof GITHUB_API_VERSIONS)[number]

export type HeaderProblem =
  | { status: 403; kind: 'user-agent'; message: string }
  | { status: 400; kind: 'api-version'; message: string }
  | { status: 415; kind: 'accept'; message: string }

/**
 * Media types a REST call may ask for. GitHub recommends `application/vnd.github+json`; plain
 * JSON, `*` and the older `vnd.github.v3`/`.raw`-style variants are served too. What GitHub does
 * with anything else is not documented: the simulator answers 415 to a type it cannot serve.
 */
const ACCEPTABLE =
  /^(\*\/\*|application\/\*|application\/json|application\/vnd\.github(\.[a-z0-9-]+)*(\+json)?)$/i

function acceptable(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === '') return true
  return accept
    .split(',')
    .map((part) => (part.split(';', 1)[0] ?? '').trim())
    .some((type) => ACCEPTABLE.test(type))
}

/** For messages: a header value cut short and stripped of anything unprintable. */
function shown(value: string): string {
  return JSON.stringify(value.slice(0, 64).replace(/[^\x20-\x7e]/g, '?'))
}

/**
 * The checks GitHub makes before anything else: a `User-Agent` (403 without one), a known
 * `X-GitHub-Api-Version` (400 otherwise; absent means 2022-11-28), and an `Accept` it can serve.
 */
export function checkRequestHeaders(
  req: IncomingMessage,
): { ok: true; apiVersion: GitHubApiVersion } | { ok: false; problem: HeaderProblem } {
  const userAgent = req.headers['user-agent']
  if (userAgent === undefined || userAgent.trim() === '') {
    return {
      ok: false,
      problem: {
        status: 403,
        kind: 'user-agent',
        message:
          'Request forbidden by administrative rules. Please make sure your request has a User-Agent header.',
      },
    }
  }
  const version = req.headers['x-github-api-version']
  const apiVersion = typeof version === 'string' ? version.trim() : GITHUB_API_VERSIONS[0]
  if (!(GITHUB_API_VERSIONS as readonly string[]).includes(apiVersion)) {
    return {
      ok: false,
      problem: {
        status: 400,
        kind: 'api-version',
        // GitHub's answer names the header (observed; the docs give no text).
        message: `The "X-GitHub-Api-Version" request header's version, ${shown(apiVersion)}, is not supported. Supported versions: ${GITHUB_API_VERSIONS.join(', ')}.`,
      },
    }
  }
  const accept = req.headers.accept
  if (!acceptable(accept)) {
    return {
      ok: false,
      problem: {
        status: 415,
        kind: 'accept',
        message: `Unsupported 'Accept' header: ${shown(accept ?? '')}. Use application/vnd.github+json.`,
      },
    }
  }
  return { ok: true, apiVersion: apiVersion as GitHubApiVersion }
}
