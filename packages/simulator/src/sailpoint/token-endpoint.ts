import { createHash, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { sendJson } from '../common/http-io.js'
import type { SailPointClient } from './options.js'
import type { TokenIdentity, TokenStore } from './token-store.js'
import { readTokenRequest } from './token-request.js'

/** The token response body, as SailPoint's `/oauth/token` answers it. */
export interface SailPointTokenResponse {
  access_token: string
  token_type: 'bearer'
  expires_in: number
  scope: string
  tenant_id: string
  pod: string
  org: string
  identity_id: string
  jti: string
}

export interface TokenEndpointContext {
  clients: readonly Required<SailPointClient>[]
  store: TokenStore
  identity: TokenIdentity
  lifetimeSeconds: number
}

/** One token the endpoint issued, for inspection: who asked, and how the credentials came. */
export interface TokenGrant {
  clientId: string
  credentialSource: 'basic' | 'body' | 'multipart' | 'query' | 'none'
  scopes: string[]
  jti: string
  issuedAt: number
  expiresAt: number
}

const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' }

function oauthError(
  res: ServerResponse,
  status: number,
  error: string,
  description: string,
  headers: Record<string, string> = {},
): void {
  sendJson(res, status, { error, error_description: description }, { ...NO_STORE, ...headers })
}

/** Compares secrets in constant time (digests first, so lengths may differ). */
function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest()
  return timingSafeEqual(digest(a), digest(b))
}

/**
 * `POST /oauth/token`, client credentials grant. The client is authenticated before the grant type
 * is looked at (as Spring-based OAuth servers do): bad credentials give 401 `invalid_client`, a
 * known client asking for another grant gets 400 `unsupported_grant_type`.
 */
export async function handleTokenRequest(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  ctx: TokenEndpointContext,
): Promise<TokenGrant | undefined> {
  const request = await readTokenRequest(req, url)
  const { params, basic } = request
  const clientId = basic?.clientId ?? params.get('client_id')
  const clientSecret = basic?.clientSecret ?? params.get('client_secret')
  const challenge: Record<string, string> = basic
    ? { 'www-authenticate': 'Basic realm="oauth"' }
    : {}
  if (clientId === undefined || clientId === '') {
    oauthError(res, 401, 'invalid_client', 'Client authentication is required.', challenge)
    return undefined
  }
  const client = ctx.clients.find((c) => c.clientId === clientId)
  if (
    client === undefined ||
    clientSecret === undefined ||
    !sameSecret(client.clientSecret, clientSecret)
  ) {
    oauthError(res, 401, 'invalid_client', 'Bad client credentials.', challenge)
    return undefined
  }
  const grantType = params.get('grant_type')
  if (grantType === undefined || grantType === '') {
    oauthError(res, 400, 'invalid_request', 'Missing grant_type parameter.')
    return undefined
  }
  if (grantType !== 'client_credentials') {
    oauthError(res, 400, 'unsupported_grant_type', `Unsupported grant type: ${grantType}`)
    return undefined
  }
  let scopes = client.scopes
  const requested = params.get('scope')
  if (requested !== undefined && requested.trim() !== '') {
    const asked = requested.trim().split(/\s+/)
    const refused = asked.filter((s) => !client.scopes.includes(s))
    if (refused.length > 0) {
      oauthError(
        res,
        400,
        'invalid_scope',
        `Scope not granted to this client: ${refused.join(' ')}`,
      )
      return undefined
    }
    scopes = asked
  }
  const { jwt, token } = await ctx.store.issue(client.clientId, scopes)
  const body: SailPointTokenResponse = {
    access_token: jwt,
    token_type: 'bearer',
    expires_in: ctx.lifetimeSeconds,
    scope: scopes.join(' '),
    tenant_id: ctx.identity.tenantId,
    pod: ctx.identity.pod,
    org: ctx.identity.tenant,
    identity_id: token.identityId,
    jti: token.jti,
  }
  sendJson(res, 200, body, NO_STORE)
  return {
    clientId: client.clientId,
    credentialSource: request.credentialSource,
    scopes: [...scopes],
    jti: token.jti,
    issuedAt: token.issuedAtMs,
    expiresAt: token.expiresAtMs,
  }
}
