import { formatDuration } from '../duration.js'

/** The facts of an error that decide what a person should do next. */
export interface HintFacts {
  readonly kind: string
  readonly vendor: string
  readonly retryable?: boolean | undefined
  readonly retryAfterMs?: number | undefined
  readonly httpStatus?: number | undefined
  readonly requestId?: string | undefined
}

/**
 * What to do about a failure, by its kind: one sentence, the same in the log, in `--json` and in
 * JUnit. The error's message says what failed; this says where to look, so a CI log alone is enough.
 */
export function hintFor(error: HintFacts): string {
  const quote =
    error.requestId === undefined
      ? ''
      : ` Quote request id ${error.requestId} to ${vendorName(error.vendor)} support if it persists.`
  switch (error.kind) {
    case 'invalid_input':
      return 'Fix the option, variable or value named in the message; nothing was sent.'
    case 'config':
      return 'Fix the setting named in the message (command-line option, environment variable or config file); nothing was sent.'
    case 'auth':
      return `Check the credentials ${vendorName(error.vendor)} was given (key id, issuer, key or client secret, token) and that they belong to this environment.`
    case 'forbidden':
      return `The credentials were accepted but lack a permission or scope: grant the one named in the message.${quote}`
    case 'not_found':
      return 'Check the identifier or URL named in the message (app, hook, template, token) and the environment it belongs to.'
    case 'rate_limited':
      return error.retryAfterMs === undefined
        ? `Wait before trying again: ${vendorName(error.vendor)} limits how often this may be asked.`
        : `Wait ${formatDuration(error.retryAfterMs)} before trying again: ${vendorName(error.vendor)} limits how often this may be asked.`
    case 'vendor_error':
      // A send is not retryable (it may have reached the vendor) even when the vendor failed.
      return error.retryable === true || (error.httpStatus ?? 0) >= 500
        ? `${vendorName(error.vendor)} had a problem on its side: try again later.${quote}`
        : `${vendorName(error.vendor)} refused the request for the reason in the message.${quote}`
    case 'network':
      return 'Check the network path: DNS, firewall, proxy (HTTPS_PROXY, NO_PROXY, --proxy) and --base-url.'
    case 'timeout':
      return 'Give a longer --timeout, or check whether the vendor or the network is slow right now.'
    case 'aborted':
      return 'The run was interrupted before it finished; run it again.'
    case 'invalid_response':
      return `${vendorName(error.vendor)} answered something notiprobe does not understand: check --base-url points at the vendor's API.${quote}`
    case 'verification':
      return 'The signed data did not verify: check --bundle-id, --environment, --app-apple-id and the trusted root (--root-cert), and whether the payload was altered.'
    case 'internal':
      return 'This is a bug in notiprobe: please report it with this output.'
    default:
      return 'See the message for what failed.'
  }
}

function vendorName(vendor: string): string {
  switch (vendor) {
    case 'apple':
      return 'Apple'
    case 'sailpoint':
      return 'SailPoint'
    case 'github':
      return 'GitHub'
    default:
      return 'the vendor'
  }
}
