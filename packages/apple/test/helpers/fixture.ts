import { readFileSync } from 'node:fs'
import { FakeClock } from '@notiprobe/core/testing'

/** A real TEST notification signed by Apple (Sandbox, 2025-09-05). */
export const APPLE_FIXTURE = readFileSync(
  new URL('../fixtures/apple-sandbox-test-notification.jws', import.meta.url),
  'utf8',
).trim()

export const FIXTURE_BUNDLE_ID = 'com.loki-project.loki-messenger'
export const FIXTURE_OPTIONS = { bundleId: FIXTURE_BUNDLE_ID, environment: 'Sandbox' } as const
/** The fixture's signedDate (2025-09-05T01:24:32.686Z). */
export const FIXTURE_SIGNED_DATE = 1757035472686
/** A clock a minute after the fixture was signed: a receiver then takes it as new. */
export function fixtureClock(): FakeClock {
  return new FakeClock({ start: FIXTURE_SIGNED_DATE + 60_000 })
}

export function decodeSegment(segment: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as Record<string, unknown>
}

export function encodeSegment(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url')
}

/** The fixture with its header replaced (the signature then no longer matches, but earlier checks run first). */
export function withHeader(
  change: (header: Record<string, unknown>) => Record<string, unknown>,
): string {
  const [header, payload, signature] = APPLE_FIXTURE.split('.') as [string, string, string]
  return [encodeSegment(change(decodeSegment(header))), payload, signature].join('.')
}

export function fixtureX5c(): string[] {
  return decodeSegment(APPLE_FIXTURE.split('.')[0]).x5c as string[]
}
