import type { CommandContext, CommonOptions } from '../context.js'
import type { ExitCode } from '../exit-codes.js'
import { appleTester } from '../settings/apple.js'
import { printAppleOutcome } from './apple-format.js'
import { emitResult, outcomeResult } from '../output/result.js'
import { exitCodeForOutcome } from './shared.js'

export interface AppleStatusOptions extends CommonOptions {
  readonly baseUrl?: string
  readonly rootCert?: string[]
}

/** `notiprobe apple status <token>`: one look at what Apple knows; 0 only when delivered. */
export async function runAppleStatus(
  context: CommandContext,
  token: string,
  options: AppleStatusOptions,
): Promise<ExitCode> {
  const { output } = context
  const startedAt = context.io.now()
  const tester = await appleTester(context, {
    baseUrl: options.baseUrl,
    rootCertFiles: options.rootCert,
    timeoutMs: options.timeout,
  })
  const progress = await output.progress(`Asking Apple about test notification ${token}`)
  try {
    // A bare token says nothing about when it was requested: 0 lets a payload signed at any time
    // count, where a ticket from send() holds its request time and refuses older payloads.
    const outcome = await tester.check(
      { vendor: 'apple', id: token, requestedAt: 0 },
      { signal: context.signal },
    )
    progress.stop()
    if (output.json) {
      // The ticket's request time is not known from a token alone: null, not the 0 used above.
      const base = { check: 'test notification status', startedAt, endedAt: context.io.now() }
      emitResult(output, outcomeResult(base, outcome, { knownRequestTime: false }))
    } else printAppleOutcome(output, tester, outcome)
    return exitCodeForOutcome(outcome)
  } catch (error) {
    progress.stop()
    throw error
  } finally {
    tester.close()
  }
}
