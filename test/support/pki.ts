import { createHmac, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto'

/**
 * A test-only certificate authority and JWS signer on node:crypto alone, so that the security
 * suites can build every forged and damaged chain they need without another dependency. The DER
 * writer below covers exactly the X.509 subset Apple's chains use: names with a common name,
 * validity, an EC public key, basic constraints and marker extensions.
 */

export const APPLE_LEAF_OID = '1.2.840.113635.100.6.11.1'
export const APPLE_INTERMEDIATE_OID = '1.2.840.113635.100.6.2.1'
const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2'
const BASIC_CONSTRAINTS = '2.5.29.19'
const COMMON_NAME = '2.5.4.3'
const DAY_MS = 86_400_000

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n])
  const bytes: number[] = []
  for (let rest = n; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256)
  return Buffer.from([0x80 | bytes.length, ...bytes])
}

function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), length(content.length), content])
}

const sequence = (...parts: Buffer[]): Buffer => tlv(0x30, Buffer.concat(parts))
const set = (...parts: Buffer[]): Buffer => tlv(0x31, Buffer.concat(parts))
const explicit = (n: number, content: Buffer): Buffer => tlv(0xa0 | n, content)
const octetString = (bytes: Buffer): Buffer => tlv(0x04, bytes)
const bitString = (bytes: Buffer): Buffer => tlv(0x03, Buffer.concat([Buffer.from([0]), bytes]))
const boolean = (value: boolean): Buffer => tlv(0x01, Buffer.from([value ? 0xff : 0]))
const utf8 = (text: string): Buffer => tlv(0x0c, Buffer.from(text, 'utf8'))
const NULL = Buffer.from([0x05, 0x00])

function integer(bytes: Buffer): Buffer {
  let body = bytes
  while (body.length > 1 && body[0] === 0 && (body[1] ?? 0) < 0x80) body = body.subarray(1)
  if ((body[0] ?? 0) >= 0x80) body = Buffer.concat([Buffer.from([0]), body])
  return tlv(0x02, body)
}

function oid(dotted: string): Buffer {
  const [first = 0, second = 0, ...rest] = dotted.split('.').map(Number)
  const bytes = [first * 40 + second]
  for (const arc of rest) {
    const chunk: number[] = [arc & 0x7f]
    for (let value = Math.floor(arc / 128); value > 0; value = Math.floor(value / 128)) {
      chunk.unshift((value & 0x7f) | 0x80)
    }
    bytes.push(...chunk)
  }
  return tlv(0x06, Buffer.from(bytes))
}

function time(date: Date): Buffer {
  const iso = date.toISOString()
  const digits = iso.slice(0, 19).replace(/[-:T]/g, '')
  const year = date.getUTCFullYear()
  // RFC 5280: UTCTime through 2049, GeneralizedTime from 2050.
  return year >= 1950 && year < 2050
    ? tlv(0x17, Buffer.from(`${digits.slice(2)}Z`))
    : tlv(0x18, Buffer.from(`${digits}Z`))
}

function name(commonName: string): Buffer {
  return sequence(set(sequence(oid(COMMON_NAME), utf8(commonName))))
}

function extension(id: string, value: Buffer, critical = false): Buffer {
  return sequence(oid(id), ...(critical ? [boolean(true)] : []), octetString(value))
}

export interface TestCertificate {
  readonly commonName: string
  readonly der: Buffer
  /** Standard base64 of the DER, as `x5c` carries it. */
  readonly base64: string
  readonly pem: string
  readonly privateKey: KeyObject
  readonly publicKey: KeyObject
  readonly notBefore: Date
  readonly notAfter: Date
}

export interface CertificateSpec {
  readonly commonName: string
  /** Signs the certificate; absent: self-signed. */
  readonly issuer?: TestCertificate | undefined
  /** Claimed issuer name, when it should differ from the issuer's (a forged name). */
  readonly issuerName?: string | undefined
  readonly ca?: boolean | undefined
  /** Marker extensions to include (Apple's OIDs). */
  readonly oids?: readonly string[] | undefined
  readonly notBefore?: Date | undefined
  readonly notAfter?: Date | undefined
  readonly curve?: 'P-256' | 'P-384' | undefined
  /** Signs with this key instead of the issuer's: the signature will not verify. */
  readonly signWith?: KeyObject | undefined
  /** Reuses a key pair (e.g. to forge a twin of another certificate). */
  readonly keys?: { privateKey: KeyObject; publicKey: KeyObject } | undefined
}

/** Builds and signs one X.509 v3 certificate with ECDSA-SHA256. */
export function makeCertificate(spec: CertificateSpec): TestCertificate {
  const keys = spec.keys ?? generateKeyPairSync('ec', { namedCurve: spec.curve ?? 'P-256' })
  const now = Date.now()
  const notBefore = spec.notBefore ?? new Date(now - DAY_MS)
  const notAfter = spec.notAfter ?? new Date(now + 365 * DAY_MS)
  const algorithm = sequence(oid(ECDSA_WITH_SHA256))
  const constraints = spec.ca === true ? sequence(boolean(true)) : sequence()
  const extensions = [
    extension(BASIC_CONSTRAINTS, constraints, true),
    ...(spec.oids ?? []).map((id) => extension(id, NULL)),
  ]
  const spki = keys.publicKey.export({ type: 'spki', format: 'der' })
  const tbs = sequence(
    explicit(0, integer(Buffer.from([2]))),
    integer(randomBytes(16)),
    algorithm,
    name(spec.issuerName ?? spec.issuer?.commonName ?? spec.commonName),
    sequence(time(notBefore), time(notAfter)),
    name(spec.commonName),
    spki,
    explicit(3, sequence(...extensions)),
  )
  const signer = spec.signWith ?? spec.issuer?.privateKey ?? keys.privateKey
  const signature = sign('sha256', tbs, { key: signer, dsaEncoding: 'der' })
  const der = sequence(tbs, algorithm, bitString(signature))
  const base64 = der.toString('base64')
  const pem = `-----BEGIN CERTIFICATE-----\n${(base64.match(/.{1,64}/g) ?? []).join('\n')}\n-----END CERTIFICATE-----\n`
  return {
    commonName: spec.commonName,
    der,
    base64,
    pem,
    privateKey: keys.privateKey,
    publicKey: keys.publicKey,
    notBefore,
    notAfter,
  }
}

export interface Chain {
  readonly root: TestCertificate
  readonly intermediate: TestCertificate
  readonly leaf: TestCertificate
  /** `[leaf, intermediate, root]` in base64, as `x5c`. */
  readonly x5c: readonly string[]
}

/** A chain shaped like Apple's: root CA, intermediate CA with its OID, leaf with its OID. */
export function makeChain(label = 'Test'): Chain {
  const root = makeCertificate({ commonName: `${label} Root CA`, ca: true })
  const intermediate = makeCertificate({
    commonName: `${label} WWDR CA`,
    issuer: root,
    ca: true,
    oids: [APPLE_INTERMEDIATE_OID],
  })
  const leaf = makeCertificate({
    commonName: `${label} App Store Signing`,
    issuer: intermediate,
    oids: [APPLE_LEAF_OID],
  })
  return { root, intermediate, leaf, x5c: [leaf.base64, intermediate.base64, root.base64] }
}

export const b64url = (value: string | Buffer): string => Buffer.from(value).toString('base64url')

export const jsonSegment = (value: unknown): string => b64url(JSON.stringify(value))

/** ES256 over `header.payload` with `key`, in JWS (IEEE P1363) form unless told otherwise. */
export function es256(signingInput: string, key: KeyObject, encoding: 'p1363' | 'der' = 'p1363') {
  return b64url(
    sign('sha256', Buffer.from(signingInput), {
      key,
      dsaEncoding: encoding === 'p1363' ? 'ieee-p1363' : 'der',
    }),
  )
}

/** A compact JWS of `payload` with `header`, signed ES256 by `key`. */
export function signJws(header: unknown, payload: unknown, key: KeyObject): string {
  const input = `${jsonSegment(header)}.${jsonSegment(payload)}`
  return `${input}.${es256(input, key)}`
}

/** HS256 with `secret`: the key-confusion attack when `secret` is a public key's bytes. */
export function hs256(header: unknown, payload: unknown, secret: Buffer): string {
  const input = `${jsonSegment(header)}.${jsonSegment(payload)}`
  return `${input}.${b64url(createHmac('sha256', secret).update(input).digest())}`
}

/** A TEST notification payload as Apple signs it. */
export function testPayload(
  fields: {
    bundleId: string
    environment: string
    signedDate?: number
    appAppleId?: number
  },
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    notificationType: 'TEST',
    notificationUUID: '0b6d8fd4-2c52-4a63-9d2b-6a3f1e5a7c10',
    data: {
      ...(fields.appAppleId === undefined ? {} : { appAppleId: fields.appAppleId }),
      bundleId: fields.bundleId,
      environment: fields.environment,
    },
    version: '2.0',
    signedDate: fields.signedDate ?? Date.now(),
    ...extra,
  }
}

/** The three segments of a compact JWS, decoded where they are JSON. */
export function splitJws(jws: string): {
  header: Record<string, unknown>
  payload: Record<string, unknown>
  parts: [string, string, string]
} {
  const [h = '', p = '', s = ''] = jws.split('.')
  return {
    header: JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as Record<string, unknown>,
    payload: JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>,
    parts: [h, p, s],
  }
}
