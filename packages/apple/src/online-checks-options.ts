/**
 * Settings of `onlineChecks` when given as an object rather than `true`. On a file of its own, so
 * the public types do not reach the verifier's internals (and the ASN.1 library's types under them,
 * which a program compiled with moduleResolution node16 cannot load).
 */
export interface OnlineChecksOptions {
  /** Time allowed for each OCSP responder to answer (10 s). */
  readonly timeoutMs?: number | undefined
  /** How long a responder's answer is reused, at most until its `nextUpdate` (15 minutes). */
  readonly cacheTtlMs?: number | undefined
}
