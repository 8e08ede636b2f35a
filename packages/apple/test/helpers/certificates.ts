import {
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  sign,
  type KeyObject,
} from 'node:crypto'
import { AsnConvert, OctetString } from '@peculiar/asn1-schema'
import {
  AlgorithmIdentifier,
  AttributeTypeAndValue,
  AttributeValue,
  BasicConstraints,
  Certificate,
  Extension,
  Extensions,
  Name,
  RelativeDistinguishedName,
  SubjectPublicKeyInfo,
  TBSCertificate,
  Validity,
  Version,
  id_ce_basicConstraints,
} from '@peculiar/asn1-x509'
import { CompactSign } from 'jose'

/** Test-only certificate authority: builds chains shaped like Apple's, with our own keys. */

const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2'
const ASN1_NULL = new Uint8Array([0x05, 0x00])
export const LEAF_OID = '1.2.840.113635.100.6.11.1'
export const INTERMEDIATE_OID = '1.2.840.113635.100.6.2.1'

export interface TestCertificate {
  readonly der: Buffer
  readonly pem: string
  readonly privateKey: KeyObject
  readonly name: string
}

export interface CertificateSpec {
  readonly name: string
  readonly issuer?: TestCertificate | undefined
  readonly ca?: boolean
  readonly extensions?: readonly string[]
  readonly notBefore?: Date
  readonly notAfter?: Date
  readonly curve?: 'P-256' | 'P-384'
  /** Sign with this key instead of the issuer's (a forged signature). */
  readonly signWith?: KeyObject
  /** DER INTEGER content bytes of the serial number; random and positive by default. */
  readonly serial?: Uint8Array
  /** The certificate's own key pair (a re-issue keeps its key); a new one by default. */
  readonly privateKey?: KeyObject
}

function name(commonName: string): Name {
  return new Name([
    new RelativeDistinguishedName([
      new AttributeTypeAndValue({
        type: '2.5.4.3',
        value: new AttributeValue({ utf8String: commonName }),
      }),
    ]),
  ])
}

/** A positive serial in minimal DER form: a first byte of 0x01 to 0x7f. */
function randomSerial(): Uint8Array {
  const bytes = new Uint8Array(randomBytes(8))
  bytes[0] = (bytes[0] % 0x7f) + 1
  return bytes
}

export function makeCertificate(spec: CertificateSpec): TestCertificate {
  const { privateKey, publicKey } =
    spec.privateKey === undefined
      ? generateKeyPairSync('ec', { namedCurve: spec.curve ?? 'P-256' })
      : { privateKey: spec.privateKey, publicKey: createPublicKey(spec.privateKey) }
  const extensions = [
    new Extension({
      extnID: id_ce_basicConstraints,
      critical: true,
      extnValue: new OctetString(
        AsnConvert.serialize(new BasicConstraints({ cA: spec.ca ?? false })),
      ),
    }),
    ...(spec.extensions ?? []).map(
      (oid) =>
        new Extension({ extnID: oid, critical: false, extnValue: new OctetString(ASN1_NULL) }),
    ),
  ]
  const algorithm = new AlgorithmIdentifier({ algorithm: ECDSA_WITH_SHA256 })
  const tbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: (spec.serial ?? randomSerial()).slice().buffer,
    signature: algorithm,
    issuer: name(spec.issuer?.name ?? spec.name),
    validity: new Validity({
      notBefore: spec.notBefore ?? new Date('2020-01-01T00:00:00Z'),
      notAfter: spec.notAfter ?? new Date('2040-01-01T00:00:00Z'),
    }),
    subject: name(spec.name),
    subjectPublicKeyInfo: AsnConvert.parse(
      publicKey.export({ type: 'spki', format: 'der' }),
      SubjectPublicKeyInfo,
    ),
    extensions: new Extensions(extensions),
  })
  const signer = spec.signWith ?? spec.issuer?.privateKey ?? privateKey
  const signature = sign('sha256', Buffer.from(AsnConvert.serialize(tbs)), {
    key: signer,
    dsaEncoding: 'der',
  })
  const der = Buffer.from(
    AsnConvert.serialize(
      new Certificate({
        tbsCertificate: tbs,
        signatureAlgorithm: algorithm,
        signatureValue: new Uint8Array(signature).buffer,
      }),
    ),
  )
  const body = der
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .trim()
  return {
    der,
    pem: `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`,
    privateKey,
    name: spec.name,
  }
}

export interface TestChain {
  readonly root: TestCertificate
  readonly intermediate: TestCertificate
  readonly leaf: TestCertificate
}

/** A chain shaped exactly like Apple's (CA intermediate, Apple's two marker OIDs). */
export function makeChain(
  overrides: Partial<Record<keyof TestChain, Partial<CertificateSpec>>> = {},
): TestChain {
  const root = makeCertificate({ name: 'Test Root CA', ca: true, ...overrides.root })
  const intermediate = makeCertificate({
    name: 'Test Intermediate CA',
    issuer: root,
    ca: true,
    extensions: [INTERMEDIATE_OID],
    ...overrides.intermediate,
  })
  const leaf = makeCertificate({
    name: 'Test Leaf',
    issuer: intermediate,
    extensions: [LEAF_OID],
    ...overrides.leaf,
  })
  return { root, intermediate, leaf }
}

/** Signs `payload` as Apple would: ES256 with the leaf key, x5c of the given certificates. */
export async function signPayload(
  payload: unknown,
  key: KeyObject,
  x5c: readonly TestCertificate[],
  header: Record<string, unknown> = {},
): Promise<string> {
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: 'ES256', x5c: x5c.map((c) => c.der.toString('base64')), ...header })
    .sign(key)
}

/** A TEST notification payload for an app. */
export function testNotification(
  overrides: Record<string, unknown> = {},
  data: Record<string, unknown> = {},
) {
  return {
    notificationType: 'TEST',
    notificationUUID: '0f6b9a44-8d2c-4c1e-9a51-3c3f1d1e2a10',
    data: { bundleId: 'com.example.app', environment: 'Sandbox', ...data },
    version: '2.0',
    signedDate: Date.parse('2030-01-01T00:00:00Z'),
    ...overrides,
  }
}
