import { generateKeyPairSync, sign } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import {
  createAppleTester,
  createNotificationHandler,
  verifySignedPayload,
  type AppleTester,
  type VerifySignedPayloadOptions,
} from '@notiprobe/apple'
import { isNotificationTestError, type NotificationTestError } from '@notiprobe/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { reportFigures, tally } from '../support/figures.js'
import { installProcessGuard, type ProcessGuard } from '../support/guard.js'
import {
  APPLE_INTERMEDIATE_OID,
  APPLE_LEAF_OID,
  b64url,
  es256,
  hs256,
  jsonSegment,
  makeCertificate,
  makeChain,
  signJws,
  splitJws,
  testPayload,
  type Chain,
} from '../support/pki.js'
import { closeServer, listen } from '../support/servers.js'

/**
 * A table of forged and damaged signed payloads, each rejected with `verification` by
 * `verifySignedPayload`, refused with 400 by the notification receiver (which never hands it on),
 * and reported `failed` by `check()` when Apple's status answer carries it: every field of header
 * and payload altered, `alg` none and HS256, truncated, reordered and foreign chains, missing OIDs,
 * certificates outside their validity at `signedDate`, the wrong app or environment, oversized
 * input, and a real Apple notification tampered with.
 */

const BUNDLE_ID = 'com.example.forged'
const APP_APPLE_ID = 1_234_567_890
const FIXTURE = readFileSync(
  new URL(
    '../../packages/apple/test/fixtures/apple-sandbox-test-notification.jws',
    import.meta.url,
  ),
  'utf8',
).trim()
const FIXTURE_BUNDLE_ID = 'com.loki-project.loki-messenger'
const MINUTE = 60_000
const DAY = 86_400_000

type Expectation = 'sandbox' | 'production' | 'apple'

interface Case {
  readonly name: string
  readonly input: unknown
  /** Which verifier settings the case is checked against. */
  readonly against: Expectation
}

/** Re-encodes `jws` with `change` applied to its header or payload, keeping the signature. */
function tamper(
  jws: string,
  part: 'header' | 'payload',
  change: (value: Record<string, unknown>) => unknown,
): string {
  const { header, payload, parts } = splitJws(jws)
  return part === 'header'
    ? `${jsonSegment(change(header))}.${parts[1]}.${parts[2]}`
    : `${parts[0]}.${jsonSegment(change(payload))}.${parts[2]}`
}

function without(value: Record<string, unknown>, key: string): Record<string, unknown> {
  const { [key]: _removed, ...rest } = value
  return rest
}

/** Raw signature bytes (r || s) of a compact JWS. */
function signatureOf(jws: string): Buffer {
  return Buffer.from(jws.split('.')[2] ?? '', 'base64url')
}

function buildCases(chain: Chain, foreign: Chain): Case[] {
  const header = { alg: 'ES256', x5c: [...chain.x5c] }
  const sandbox = testPayload({ bundleId: BUNDLE_ID, environment: 'Sandbox' })
  const production = testPayload({
    bundleId: BUNDLE_ID,
    environment: 'Production',
    appAppleId: APP_APPLE_ID,
  })
  const good = signJws(header, sandbox, chain.leaf.privateKey)
  const goodProduction = signJws(header, production, chain.leaf.privateKey)
  const signedBy = (payload: unknown, x5c: readonly string[] = chain.x5c) =>
    signJws({ alg: 'ES256', x5c: [...x5c] }, payload, chain.leaf.privateKey)
  const [h, p] = good.split('.') as [string, string, string]
  const input = `${h}.${p}`
  const cases: Case[] = []
  const add = (name: string, value: unknown, against: Expectation = 'sandbox'): void => {
    cases.push({ name, input: value, against })
  }

  // The header's fields altered after signing.
  add(
    'header alg changed to ES384',
    tamper(good, 'header', (x) => ({ ...x, alg: 'ES384' })),
  )
  add(
    'header alg changed to none',
    tamper(good, 'header', (x) => ({ ...x, alg: 'none' })),
  )
  add(
    'header alg removed',
    tamper(good, 'header', (x) => without(x, 'alg')),
  )
  add(
    'header alg lower case',
    tamper(good, 'header', (x) => ({ ...x, alg: 'es256' })),
  )
  add(
    'header alg as an array',
    tamper(good, 'header', (x) => ({ ...x, alg: ['ES256'] })),
  )
  add(
    'header x5c removed',
    tamper(good, 'header', (x) => without(x, 'x5c')),
  )
  add(
    'header kid added',
    tamper(good, 'header', (x) => ({ ...x, kid: 'attacker' })),
  )
  add(
    'header typ added',
    tamper(good, 'header', (x) => ({ ...x, typ: 'JWT' })),
  )
  add(
    'header jku added',
    tamper(good, 'header', (x) => ({ ...x, jku: 'https://evil.example/keys' })),
  )
  add(
    'header x5u added',
    tamper(good, 'header', (x) => ({ ...x, x5u: 'https://evil.example/c' })),
  )
  add('header not JSON', `${b64url('{"alg":"ES256",')}.${p}.${good.split('.')[2] ?? ''}`)
  add('header a JSON array', `${jsonSegment([header])}.${p}.${good.split('.')[2] ?? ''}`)

  // alg attacks, signed to match.
  add('alg none, no signature', `${jsonSegment({ ...header, alg: 'none' })}.${p}.`)
  add(
    'alg none, ES256 signature',
    (() => {
      const forged = `${jsonSegment({ ...header, alg: 'none' })}.${p}`
      return `${forged}.${es256(forged, chain.leaf.privateKey)}`
    })(),
  )
  add(
    'alg HS256 keyed with the leaf public key (key confusion)',
    hs256(
      { ...header, alg: 'HS256' },
      sandbox,
      chain.leaf.publicKey.export({ type: 'spki', format: 'der' }),
    ),
  )
  add(
    'alg HS256 keyed with the leaf certificate PEM',
    hs256({ ...header, alg: 'HS256' }, sandbox, Buffer.from(chain.leaf.pem)),
  )
  add(
    'alg ES384 with a P-384 leaf',
    (() => {
      const leaf = makeCertificate({
        commonName: 'P-384 leaf',
        issuer: chain.intermediate,
        oids: [APPLE_LEAF_OID],
        curve: 'P-384',
      })
      const x5c = [leaf.base64, chain.intermediate.base64, chain.root.base64]
      const forged = `${jsonSegment({ alg: 'ES384', x5c })}.${p}`
      // ES384 in JWS form: the raw r || s of a SHA-384 ECDSA signature.
      const signature = sign('sha384', Buffer.from(forged), {
        key: leaf.privateKey,
        dsaEncoding: 'ieee-p1363',
      })
      return `${forged}.${b64url(signature)}`
    })(),
  )
  add(
    'crit with an unknown extension, signed',
    signJws(
      { ...header, crit: ['notiprobe-unknown'], 'notiprobe-unknown': 1 },
      sandbox,
      chain.leaf.privateKey,
    ),
  )
  add(
    'jwk of an attacker key in the header, signed with it',
    (() => {
      const attacker = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      return signJws(
        { ...header, jwk: attacker.publicKey.export({ format: 'jwk' }) },
        sandbox,
        attacker.privateKey,
      )
    })(),
  )

  // The payload's fields altered after signing.
  const payloadEdits: readonly [string, (x: Record<string, unknown>) => unknown][] = [
    ['notificationType changed', (x) => ({ ...x, notificationType: 'DID_RENEW' })],
    ['notificationUUID changed', (x) => ({ ...x, notificationUUID: 'f'.repeat(36) })],
    ['version changed', (x) => ({ ...x, version: '3.0' })],
    ['signedDate changed', (x) => ({ ...x, signedDate: Number(x.signedDate) + 1 })],
    ['subtype added', (x) => ({ ...x, subtype: 'INITIAL_BUY' })],
    ['a field added', (x) => ({ ...x, injected: true })],
    ['data removed', (x) => without(x, 'data')],
    [
      'data.bundleId changed',
      (x) => ({ ...x, data: { ...(x.data as object), bundleId: 'com.evil.app' } }),
    ],
    [
      'data.environment changed',
      (x) => ({ ...x, data: { ...(x.data as object), environment: 'Production' } }),
    ],
    [
      'data.appAppleId added',
      (x) => ({ ...x, data: { ...(x.data as object), appAppleId: APP_APPLE_ID } }),
    ],
  ]
  for (const [name, edit] of payloadEdits) add(`payload ${name}`, tamper(good, 'payload', edit))
  add(
    'Production payload appAppleId changed',
    tamper(goodProduction, 'payload', (x) => ({
      ...x,
      data: { ...(x.data as object), appAppleId: 1 },
    })),
    'production',
  )

  // Signed with the right key, but not for this app, environment or time.
  add(
    'for another bundle id',
    signedBy({ ...sandbox, data: { bundleId: 'com.evil.app', environment: 'Sandbox' } }),
  )
  add(
    'for the bundle id in upper case',
    signedBy({ ...sandbox, data: { bundleId: BUNDLE_ID.toUpperCase(), environment: 'Sandbox' } }),
  )
  add(
    'for the bundle id with a trailing space',
    signedBy({ ...sandbox, data: { bundleId: `${BUNDLE_ID} `, environment: 'Sandbox' } }),
  )
  add('for Production, expected Sandbox', signedBy({ ...production }))
  add('for Sandbox, expected Production', signedBy(sandbox), 'production')
  add(
    'for environment Xcode',
    signedBy({ ...sandbox, data: { bundleId: BUNDLE_ID, environment: 'Xcode' } }),
  )
  add(
    'for environment "sandbox" (lower case)',
    signedBy({ ...sandbox, data: { bundleId: BUNDLE_ID, environment: 'sandbox' } }),
  )
  add('with no data', signedBy(without(sandbox, 'data')))
  add('with no environment', signedBy({ ...sandbox, data: { bundleId: BUNDLE_ID } }))
  add(
    'for another app (appAppleId)',
    signedBy({ ...production, data: { ...(production.data as object), appAppleId: 42 } }),
    'production',
  )
  add(
    'Production without appAppleId',
    signedBy({ ...production, data: { bundleId: BUNDLE_ID, environment: 'Production' } }),
    'production',
  )
  add('with no signedDate', signedBy(without(sandbox, 'signedDate')))
  add('with signedDate a string', signedBy({ ...sandbox, signedDate: String(Date.now()) }))
  add('with signedDate NaN-like', signedBy({ ...sandbox, signedDate: null }))
  add(
    'with signedDate after the leaf expired',
    signedBy({ ...sandbox, signedDate: chain.leaf.notAfter.getTime() + 2 * MINUTE }),
  )
  add(
    'with signedDate before the leaf was valid',
    signedBy({ ...sandbox, signedDate: chain.leaf.notBefore.getTime() - 2 * MINUTE }),
  )
  add('with no notificationUUID', signedBy(without(sandbox, 'notificationUUID')))
  add('with no notificationType', signedBy(without(sandbox, 'notificationType')))
  add(
    'payload a JSON array',
    `${h}.${jsonSegment([sandbox])}.${es256(`${h}.${jsonSegment([sandbox])}`, chain.leaf.privateKey)}`,
  )
  add(
    'payload not JSON',
    (() => {
      const body = b64url('not json at all')
      return `${h}.${body}.${es256(`${h}.${body}`, chain.leaf.privateKey)}`
    })(),
  )
  add(
    'payload invalid UTF-8',
    (() => {
      const body = b64url(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]))
      return `${h}.${body}.${es256(`${h}.${body}`, chain.leaf.privateKey)}`
    })(),
  )

  // Chains: truncated, reordered, foreign, forged, broken.
  const [leaf, intermediate, root] = chain.x5c as [string, string, string]
  add('x5c empty', signedBy(sandbox, []))
  add('x5c leaf only', signedBy(sandbox, [leaf]))
  add('x5c without root', signedBy(sandbox, [leaf, intermediate]))
  add('x5c with a fourth certificate', signedBy(sandbox, [leaf, intermediate, root, root]))
  add('x5c reordered: intermediate, leaf, root', signedBy(sandbox, [intermediate, leaf, root]))
  add('x5c reordered: root, intermediate, leaf', signedBy(sandbox, [root, intermediate, leaf]))
  add('x5c reordered: leaf, root, intermediate', signedBy(sandbox, [leaf, root, intermediate]))
  add('x5c leaf twice', signedBy(sandbox, [leaf, leaf, root]))
  add(
    'x5c a string, not an array',
    signJws({ alg: 'ES256', x5c: leaf }, sandbox, chain.leaf.privateKey),
  )
  add('x5c of numbers', signJws({ alg: 'ES256', x5c: [1, 2, 3] }, sandbox, chain.leaf.privateKey))
  add('x5c not base64', signedBy(sandbox, ['%%%', intermediate, root]))
  add('x5c base64url, not base64', signedBy(sandbox, [b64url(chain.leaf.der), intermediate, root]))
  add(
    'x5c with whitespace in the base64',
    signedBy(sandbox, [`${leaf.slice(0, 10)} ${leaf.slice(10)}`, intermediate, root]),
  )
  add(
    'x5c garbage DER',
    signedBy(sandbox, [Buffer.from('not a certificate').toString('base64'), intermediate, root]),
  )
  add(
    'x5c oversized certificate',
    (() => {
      const big = makeCertificate({
        commonName: 'x'.repeat(20_000),
        issuer: chain.intermediate,
        oids: [APPLE_LEAF_OID],
        keys: { privateKey: chain.leaf.privateKey, publicKey: chain.leaf.publicKey },
      })
      return signedBy(sandbox, [big.base64, intermediate, root])
    })(),
  )
  add(
    'foreign root: a whole chain from another CA',
    signJws({ alg: 'ES256', x5c: [...foreign.x5c] }, sandbox, foreign.leaf.privateKey),
  )
  add(
    'trusted root bytes, foreign intermediate',
    signJws(
      { alg: 'ES256', x5c: [foreign.leaf.base64, foreign.intermediate.base64, root] },
      sandbox,
      foreign.leaf.privateKey,
    ),
  )
  add(
    'forged intermediate named like the real one',
    (() => {
      const forgedIntermediate = makeCertificate({
        commonName: chain.intermediate.commonName,
        issuerName: chain.root.commonName,
        signWith: foreign.root.privateKey,
        ca: true,
        oids: [APPLE_INTERMEDIATE_OID],
      })
      const forgedLeaf = makeCertificate({
        commonName: chain.leaf.commonName,
        issuer: forgedIntermediate,
        oids: [APPLE_LEAF_OID],
      })
      return signJws(
        { alg: 'ES256', x5c: [forgedLeaf.base64, forgedIntermediate.base64, root] },
        sandbox,
        forgedLeaf.privateKey,
      )
    })(),
  )
  const variant = (spec: Parameters<typeof makeCertificate>[0], at = Date.now()) => {
    const cert = makeCertificate(spec)
    return { cert, at }
  }
  {
    const { cert } = variant({
      commonName: 'forged leaf',
      issuerName: chain.intermediate.commonName,
      signWith: foreign.intermediate.privateKey,
      oids: [APPLE_LEAF_OID],
    })
    add(
      'leaf not signed by the intermediate',
      signJws({ alg: 'ES256', x5c: [cert.base64, intermediate, root] }, sandbox, cert.privateKey),
    )
  }
  {
    const { cert } = variant({ commonName: 'self-signed leaf', oids: [APPLE_LEAF_OID] })
    add(
      'leaf self-signed',
      signJws({ alg: 'ES256', x5c: [cert.base64, intermediate, root] }, sandbox, cert.privateKey),
    )
  }
  {
    const notCa = makeCertificate({
      commonName: 'intermediate, not a CA',
      issuer: chain.root,
      oids: [APPLE_INTERMEDIATE_OID],
    })
    const cert = makeCertificate({ commonName: 'leaf', issuer: notCa, oids: [APPLE_LEAF_OID] })
    add(
      'intermediate not a CA',
      signJws({ alg: 'ES256', x5c: [cert.base64, notCa.base64, root] }, sandbox, cert.privateKey),
    )
  }
  {
    const cert = makeCertificate({ commonName: 'leaf without OID', issuer: chain.intermediate })
    add(
      'leaf missing 1.2.840.113635.100.6.11.1',
      signJws({ alg: 'ES256', x5c: [cert.base64, intermediate, root] }, sandbox, cert.privateKey),
    )
  }
  {
    const bare = makeCertificate({
      commonName: 'intermediate without OID',
      issuer: chain.root,
      ca: true,
    })
    const cert = makeCertificate({ commonName: 'leaf', issuer: bare, oids: [APPLE_LEAF_OID] })
    add(
      'intermediate missing 1.2.840.113635.100.6.2.1',
      signJws({ alg: 'ES256', x5c: [cert.base64, bare.base64, root] }, sandbox, cert.privateKey),
    )
  }
  {
    const swapped = makeCertificate({
      commonName: 'intermediate with the leaf OID',
      issuer: chain.root,
      ca: true,
      oids: [APPLE_LEAF_OID],
    })
    const cert = makeCertificate({
      commonName: 'leaf with the intermediate OID',
      issuer: swapped,
      oids: [APPLE_INTERMEDIATE_OID],
    })
    add(
      'OIDs swapped between leaf and intermediate',
      signJws({ alg: 'ES256', x5c: [cert.base64, swapped.base64, root] }, sandbox, cert.privateKey),
    )
  }
  {
    const now = Date.now()
    const expired = makeCertificate({
      commonName: 'expired leaf',
      issuer: chain.intermediate,
      oids: [APPLE_LEAF_OID],
      notBefore: new Date(now - 30 * DAY),
      notAfter: new Date(now - 2 * DAY),
    })
    add(
      'leaf expired at signedDate',
      signJws(
        { alg: 'ES256', x5c: [expired.base64, intermediate, root] },
        sandbox,
        expired.privateKey,
      ),
    )
    const future = makeCertificate({
      commonName: 'future leaf',
      issuer: chain.intermediate,
      oids: [APPLE_LEAF_OID],
      notBefore: new Date(now + DAY),
      notAfter: new Date(now + 30 * DAY),
    })
    add(
      'leaf not yet valid at signedDate',
      signJws(
        { alg: 'ES256', x5c: [future.base64, intermediate, root] },
        sandbox,
        future.privateKey,
      ),
    )
    const oldIntermediate = makeCertificate({
      commonName: 'expired intermediate',
      issuer: chain.root,
      ca: true,
      oids: [APPLE_INTERMEDIATE_OID],
      notBefore: new Date(now - 30 * DAY),
      notAfter: new Date(now - 2 * DAY),
    })
    const underOld = makeCertificate({
      commonName: 'leaf',
      issuer: oldIntermediate,
      oids: [APPLE_LEAF_OID],
    })
    add(
      'intermediate expired at signedDate',
      signJws(
        { alg: 'ES256', x5c: [underOld.base64, oldIntermediate.base64, root] },
        sandbox,
        underOld.privateKey,
      ),
    )
    add(
      'root expired at signedDate (signedDate after the root)',
      signedBy({ ...sandbox, signedDate: now + 20 * 365 * DAY }),
    )
  }

  // Signatures.
  const other = signJws(header, { ...sandbox, notificationUUID: 'another' }, chain.leaf.privateKey)
  add('signature of another payload spliced in', `${input}.${other.split('.')[2] ?? ''}`)
  add('signed by the intermediate key', `${input}.${es256(input, chain.intermediate.privateKey)}`)
  add('signed by the root key', `${input}.${es256(input, chain.root.privateKey)}`)
  add('signature DER-encoded', `${input}.${es256(input, chain.leaf.privateKey, 'der')}`)
  add('signature truncated', `${input}.${b64url(signatureOf(good).subarray(0, 40))}`)
  add(
    'signature with a byte appended',
    `${input}.${b64url(Buffer.concat([signatureOf(good), Buffer.from([0])]))}`,
  )
  add('signature all zero (r = s = 0)', `${input}.${b64url(Buffer.alloc(64))}`)
  add(
    'signature r = s = n (the curve order)',
    `${input}.${b64url(
      Buffer.concat([
        Buffer.from('ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551', 'hex'),
        Buffer.from('ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551', 'hex'),
      ]),
    )}`,
  )
  add(
    'signature bits flipped',
    `${input}.${b64url(Buffer.from(signatureOf(good).map((byte, i) => (i === 10 ? byte ^ 1 : byte))))}`,
  )
  add(
    'signature not canonical base64url (padding bits set)',
    (() => {
      const signature = good.split('.')[2] ?? ''
      const last = signature.at(-1) ?? 'A'
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
      const next = alphabet[(alphabet.indexOf(last) + 1) % 64] ?? 'B'
      return `${input}.${signature.slice(0, -1)}${next}`
    })(),
  )
  add('signature empty', `${input}.`)

  // Structure and size.
  add('empty string', '')
  add('only whitespace', '   \n ')
  add('two parts', input)
  add('four parts', `${good}.${h}`)
  add('base64 padding added', `${good}==`)
  // Standard base64 (with its `==` padding) where base64url belongs: always differs.
  add('signature in standard base64', `${input}.${signatureOf(good).toString('base64')}`)
  add(
    'JSON serialization instead of compact',
    JSON.stringify({ protected: h, payload: p, signature: good.split('.')[2] }),
  )
  add('oversized (300 KiB)', `${h}.${b64url('x'.repeat(300 * 1024))}.${good.split('.')[2] ?? ''}`)
  add('a number', 12345)
  add('null', null)
  add('an object', { signedPayload: good })
  add('an array', [good])
  add('bytes', Buffer.from(good))

  // Apple's own TEST notification, tampered with.
  const fixture = splitJws(FIXTURE)
  add(
    'Apple notification: bundle id changed in the payload',
    tamper(FIXTURE, 'payload', (x) => ({
      ...x,
      data: { ...(x.data as object), bundleId: 'com.evil.app' },
    })),
    'apple',
  )
  add(
    'Apple notification: signedDate moved into the leaf validity',
    tamper(FIXTURE, 'payload', (x) => ({ ...x, signedDate: Date.UTC(2025, 8, 20) })),
    'apple',
  )
  add(
    "Apple notification: Apple's chain, our signature",
    signJws(fixture.header, fixture.payload, chain.leaf.privateKey),
    'apple',
  )
  add(
    "Apple notification: Apple's root and intermediate, our leaf",
    (() => {
      const x5c = fixture.header.x5c as string[]
      const forgedLeaf = makeCertificate({
        commonName: 'Prod ECC Mac App Store and iTunes Store Receipt Signing',
        issuerName: 'Apple Worldwide Developer Relations Certification Authority',
        signWith: chain.intermediate.privateKey,
        oids: [APPLE_LEAF_OID],
      })
      return signJws(
        { ...fixture.header, x5c: [forgedLeaf.base64, x5c[1], x5c[2]] },
        fixture.payload,
        forgedLeaf.privateKey,
      )
    })(),
    'apple',
  )
  add(
    'Apple notification: header alg changed to ES384',
    tamper(FIXTURE, 'header', (x) => ({ ...x, alg: 'ES384' })),
    'apple',
  )
  add(
    'Apple notification: root in x5c replaced by ours',
    tamper(FIXTURE, 'header', (x) => ({ ...x, x5c: [...(x.x5c as string[]).slice(0, 2), root] })),
    'apple',
  )
  add('Apple notification: checked for another bundle id', FIXTURE, 'sandbox')
  add('Apple notification: checked for Production', FIXTURE, 'production')
  return cases
}

describe('forged and damaged signed payloads', () => {
  let guard: ProcessGuard
  let chain: Chain
  let cases: Case[]
  const options: Record<Expectation, VerifySignedPayloadOptions> = {
    sandbox: { bundleId: BUNDLE_ID, environment: 'Sandbox' },
    production: { bundleId: BUNDLE_ID, environment: 'Production', appAppleId: APP_APPLE_ID },
    apple: { bundleId: FIXTURE_BUNDLE_ID, environment: 'Sandbox' },
  }
  const figures = {
    cases: 0,
    rejectedByVerifier: 0,
    refusedByReceiver: 0,
    /** Reported `failed` with a verification error, or refused as not Apple's answer shape. */
    reportedFailedByCheck: 0,
    checkedByCheck: 0,
    verifierMessages: {} as Record<string, number>,
  }

  beforeAll(() => {
    guard = installProcessGuard()
    chain = makeChain('Forge')
    const rootPem = chain.root.pem
    options.sandbox = { ...options.sandbox, rootCertificates: [rootPem] }
    options.production = { ...options.production, rootCertificates: [rootPem] }
    cases = buildCases(chain, makeChain('Foreign'))
    figures.cases = cases.length
  })

  afterAll(() => {
    guard.dispose()
    reportFigures('forged JWS', figures)
    expect(guard.unhandledRejections).toEqual([])
    expect(guard.uncaughtExceptions).toEqual([])
  })

  it('accepts the genuine ones (the table is not rejecting everything)', async () => {
    const header = { alg: 'ES256', x5c: [...chain.x5c] }
    await expect(
      verifySignedPayload(
        signJws(
          header,
          testPayload({ bundleId: BUNDLE_ID, environment: 'Sandbox' }),
          chain.leaf.privateKey,
        ),
        options.sandbox,
      ),
    ).resolves.toMatchObject({ notificationType: 'TEST' })
    await expect(
      verifySignedPayload(
        signJws(
          header,
          testPayload({ bundleId: BUNDLE_ID, environment: 'Production', appAppleId: APP_APPLE_ID }),
          chain.leaf.privateKey,
        ),
        options.production,
      ),
    ).resolves.toMatchObject({ notificationType: 'TEST' })
    await expect(verifySignedPayload(FIXTURE, options.apple)).resolves.toMatchObject({
      notificationType: 'TEST',
      data: { bundleId: FIXTURE_BUNDLE_ID },
    })
  })

  it('rejects every one with verification, saying which check failed', async () => {
    const accepted: string[] = []
    for (const entry of cases) {
      let error: NotificationTestError | undefined
      try {
        await verifySignedPayload(entry.input as string, options[entry.against])
        accepted.push(entry.name)
        continue
      } catch (caught) {
        if (!isNotificationTestError(caught)) throw caught
        error = caught
      }
      expect(error.kind, entry.name).toBe('verification')
      expect(error.message, entry.name).toMatch(/^Signed payload rejected: .+\.$/)
      figures.rejectedByVerifier++
      tally(
        figures.verifierMessages,
        error.message
          .replace(/^Signed payload rejected: /, '')
          .replace(/\(.*$|".*$|\d{4}-.*$/, '')
          .trim()
          .slice(0, 60),
      )
    }
    expect(accepted).toEqual([])
  })

  it('the receiver answers 400 to every one and hands none on', async () => {
    const handed: string[] = []
    const refusedKinds: string[] = []
    const servers: Server[] = []
    const urls = {} as Record<Expectation, string>
    for (const against of ['sandbox', 'production', 'apple'] as const) {
      const handler = createNotificationHandler({
        ...options[against],
        onNotification: (notification) => {
          handed.push(notification.notificationUUID)
        },
        onError: (error) => refusedKinds.push(error.kind),
      })
      const server = createServer((req, res) => void handler(req, res))
      servers.push(server)
      urls[against] = await listen(server)
    }
    try {
      const statuses: number[] = []
      for (const entry of cases) {
        const response = await fetch(urls[entry.against], {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ signedPayload: entry.input }),
        })
        await response.arrayBuffer()
        statuses.push(response.status)
        if (response.status === 400) figures.refusedByReceiver++
      }
      expect(
        cases
          .map((entry, i) => `${entry.name}: ${String(statuses[i])}`)
          .filter((line) => !line.endsWith(': 400')),
      ).toEqual([])
      expect(handed).toEqual([])
      // And the genuine one still goes through: the 400s are the receiver judging, not failing.
      const genuine = await fetch(urls.sandbox, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          signedPayload: signJws(
            { alg: 'ES256', x5c: [...chain.x5c] },
            testPayload({ bundleId: BUNDLE_ID, environment: 'Sandbox' }),
            chain.leaf.privateKey,
          ),
        }),
      })
      expect(genuine.status).toBe(200)
      expect(handed).toHaveLength(1)
      // String payloads fail verification; other JSON values are not notifications at all.
      expect(refusedKinds.filter((kind) => kind === 'verification').length).toBe(
        cases.filter((entry) => typeof entry.input === 'string').length,
      )
    } finally {
      for (const server of servers) await closeServer(server)
    }
  })

  it("check() reports failed, never delivered, when Apple's status carries one", async () => {
    const strings = cases.filter((entry) => typeof entry.input === 'string')
    // A stand-in for Apple's status endpoint: the ticket id picks the case.
    const server = createServer((req, res) => {
      const index = Number(req.url?.split('/').at(-1) ?? '-1')
      const entry = strings[index]
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(
        JSON.stringify({
          signedPayload: entry?.input,
          sendAttempts: [{ attemptDate: Date.now(), sendAttemptResult: 'SUCCESS' }],
        }),
      )
    })
    const baseUrl = await listen(server)
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const testers = {} as Record<Expectation, AppleTester>
    for (const against of ['sandbox', 'production', 'apple'] as const) {
      testers[against] = createAppleTester({
        issuerId: '57246542-96fe-1a63-e053-0824d011072a',
        keyId: 'FORGE12345',
        privateKey,
        baseUrl,
        rateLimits: 'off',
        ...options[against],
      })
    }
    try {
      for (const [index, entry] of strings.entries()) {
        const tester = testers[entry.against]
        const ticket = {
          vendor: 'apple',
          id: String(index),
          requestedAt: Date.now(),
          details: { environment: tester.environment, bundleId: tester.bundleId },
        } as const
        figures.checkedByCheck++
        let outcome
        try {
          outcome = await tester.check(ticket)
        } catch (error) {
          // An empty signedPayload is not even Apple's answer shape: refused before verifying.
          if (!isNotificationTestError(error) || error.kind !== 'invalid_response') throw error
          figures.reportedFailedByCheck++
          continue
        }
        expect(outcome.state, entry.name).toBe('failed')
        expect(outcome.notification, entry.name).toBeUndefined()
        if (outcome.verificationError?.kind === 'verification') figures.reportedFailedByCheck++
        else if (!/notificationType/.test(outcome.summary)) {
          expect.fail(`${entry.name}: no verification error in ${outcome.summary}`)
        }
      }
    } finally {
      for (const tester of Object.values(testers)) tester.close()
      await closeServer(server)
    }
  })
})
