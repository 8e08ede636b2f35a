/**
 * GitHub's side of webhook testing, on 127.0.0.1, written from docs/github-facts.md alone (no
 * adapter code): the REST endpoints for pings, push tests, the deliveries log and redelivery, the
 * App's hook config and installation tokens; and the webhook sender that really POSTs to hooks.
 *
 * Picks where GitHub's behaviour is unconfirmed ([U] on the facts page), each settable where a
 * client should be tested against the other reading:
 * - Delivery `status`/`status_code`: 2xx → `OK` + the code; any other HTTP answer, 3xx included
 *   (redirects are not followed) → `Invalid HTTP Response: <code>` + the code; no answer within
 *   `deliveryTimeoutMs` (10 s) → `timed out` + 504 (`timeoutStatusCode`); refused → `failed to
 *   connect to network`, DNS → `failed to connect to host`, TLS → `Peer certificate cannot be
 *   authenticated with given CA certificates`, reset/garbled → `Invalid HTTP Response: 0`, all
 *   + 502 (`connectionFailureStatusCode`; OAS pairs "failed to connect" with 502). A 3xx is thus
 *   listed under `status=success` (200–399, as documented) while not being `OK`.
 * - `duration` is in seconds. `throttled_at` is always null (the simulator never throttles).
 * - `per_page` above 100 is clamped to 100 (and the link carries 100); a non-positive or
 *   non-numeric `per_page`, an unknown `cursor` or a `status` other than success|failure → 422
 *   `validation-error` naming the field.
 * - The cursor is base64url of `d1:<id>` (opaque to clients); links carry only `rel="next"`.
 * - Redelivering a delivery that is unknown or past retention (3 days; `retentionDays`) → 404
 *   (`expiredRedeliveryStatus: 422` for the other reading). A redelivery re-sends the original
 *   payload and GUID with the hook's current URL, content type and secret.
 * - Permissions: ping, tests and deliveries need Webhooks read, redelivery write (organization
 *   hooks by analogy). A token that cannot see the repository/organization or has no Webhooks
 *   permission → 404; read-only asked to write → 403 "Resource not accessible by personal access
 *   token" (or "by integration") with `X-Accepted-GitHub-Permissions` (`missingWriteStatus: 404`).
 * - 401 texts: no credentials → "Requires authentication"; unknown, expired or revoked token →
 *   "Bad credentials"; bad App JWT → "A JSON web token could not be decoded" (or the `exp`/`iat`
 *   texts). A token on `/app/*` → 401 (JWT only); the App JWT on repository/organization hooks →
 *   403 "Resource not accessible by integration".
 * - App JWT: RS256 only, `iss` = app id (string or number) or client id, `iat` at most 60 s in the
 *   future, `exp` in the future (no tolerance), `exp` ≤ now + 10 min + 60 s and `exp - iat` ≤
 *   10 min + 60 s. The App key is handed out as PKCS#1 PEM, as GitHub's download is (and PKCS#8).
 * - Installation tokens: `ghs_` + 36 characters, or the longer stateless form
 *   (`installationTokenFormat`); 1 h; `expires_at` ISO 8601 UTC without milliseconds.
 * - Missing `User-Agent` → 403 plain text; `X-GitHub-Api-Version` other than 2022-11-28 or
 *   2026-03-10 → 400; an `Accept` naming no JSON or GitHub media type → 415.
 * - Primary limit: 5 000/h per user (all PATs), installation or App, 60/h unauthenticated; fixed
 *   window from the first request; `x-ratelimit-*` on every answer after the header checks;
 *   exhausted → 403 (`rateLimitStatus: 429`) with remaining 0. Secondary: 900 points per minute
 *   per endpoint and principal (GET 1, writes 5) → 403/429 naming the secondary rate limit with
 *   `retry-after`; the `rateLimit` fault gives the same answer with `secondaryRetryAfterSeconds`
 *   (60, or null for none), a `status: 429` fault gives it without `retry-after`.
 * - Methods a path does not serve → 404 (as GitHub), not 405.
 * - Hook URLs on loopback are allowed (GitHub refuses localhost; the simulator exists for it).
 * - Response evidence kept per delivery: up to 64 headers (values ≤ 1 024 chars) and the first
 *   16 KiB of the body.
 */
export type { GitHubAppCredentials } from './app-credentials.js'
export type { DeliveryRecord } from './delivery-record.js'
export { MAX_PER_PAGE, DEFAULT_PER_PAGE } from './delivery-endpoints.js'
export type { CreateHookOptions, GitHubHookInfo, HookContentType, HookTarget } from './hooks.js'
export type { GitHubSimulatorOptions, HookPermissionLevel, HookPermissions } from './options.js'
export { GITHUB_API_VERSIONS } from './request-headers.js'
export type { GitHubApiVersion } from './request-headers.js'
export { GITHUB_ENDPOINTS } from './routes.js'
export type { GitHubEndpoint } from './routes.js'
export type { SeedDeliveriesOptions } from './seed-deliveries.js'
export { startGitHubSimulator } from './simulator.js'
export type {
  AppHookConfig,
  DeliverEventOptions,
  GitHubAuthFailure,
  GitHubDeliveryInspection,
  GitHubSimulator,
  GitHubSimulatorInspection,
} from './simulator.js'
export type { CreateTokenOptions } from './tokens.js'
