/** What went wrong, in terms a caller can act on; switch on it rather than on messages. */
export const ERROR_KINDS = [
  'invalid_input',
  'config',
  'auth',
  'forbidden',
  'not_found',
  'rate_limited',
  'vendor_error',
  'network',
  'timeout',
  'aborted',
  'invalid_response',
  'verification',
] as const

export type ErrorKind = (typeof ERROR_KINDS)[number]

/** The kind an HTTP status means when the vendor's body says nothing more precise. */
export function kindForHttpStatus(status: number): ErrorKind {
  if (status === 400 || status === 409 || status === 422) return 'invalid_input'
  if (status === 401) return 'auth'
  if (status === 403) return 'forbidden'
  if (status === 404 || status === 410) return 'not_found'
  if (status === 429) return 'rate_limited'
  if (status === 408) return 'timeout'
  return 'vendor_error'
}
