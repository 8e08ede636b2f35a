// @peculiar/x509 resolves its dependency container through tsyringe, which needs the Reflect
// metadata API before the library loads; the side-effect import must stay first.
import 'reflect-metadata'
import * as x509 from '@peculiar/x509'
import { webcrypto } from 'node:crypto'

/** Apple marks the WWDR intermediate CA with this extension... */
export const APPLE_INTERMEDIATE_OID = '1.2.840.113635.100.6.2.1'
/** ...and the App Store signing leaf with this one; verifiers require both. */
export const APPLE_LEAF_OID = '1.2.840.113635.100.6.11.1'

/** The simulator's own PKI: what it signs notifications with and what a verifier must trust. */
export interface SigningChain {
  /** Base64 DER certificates, leaf first, as the JWS `x5c` header carries them. */
  readonly x5c: readonly [leaf: string, intermediate: string, root: string]
  /** The root as PEM, to be given to a verifier as its trust anchor. */
  readonly rootCertificatePem: string
  /** The leaf's private key, used for every signed payload. */
  readonly signingKey: webcrypto.CryptoKey
  /** What the OCSP responder answers for: each certificate with the key of its issuer. */
  readonly issuedBy: readonly IssuedCertificate[]
}

/**
 * A certificate of the chain, DER, its issuer, and the OCSP responder certificate that issuer
 * delegated signing answers to (extended key usage OCSPSigning), with that responder's key.
 */
export interface IssuedCertificate {
  readonly name: 'leaf' | 'intermediate'
  readonly der: Uint8Array
  readonly issuerDer: Uint8Array
  readonly responderDer: Uint8Array
  readonly responderKey: webcrypto.CryptoKey
}

const EC_P256 = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const
const DAY_MS = 86_400_000
// DER NULL: Apple's marker extensions carry no value of interest, only their presence matters.
const DER_NULL = new Uint8Array([0x05, 0x00])

async function newKeyPair(): Promise<webcrypto.CryptoKeyPair> {
  return webcrypto.subtle.generateKey(EC_P256, true, ['sign', 'verify'])
}

/**
 * Generates a fresh root CA, an intermediate CA and a leaf, all P-256 with ECDSA-SHA256, valid from
 * 181 days before `now` (the injected clock, so a verifier checking at `signedDate` agrees) for a year.
 */
export async function createSigningChain(
  now: number,
  options: { ocspUrl?: string } = {},
): Promise<SigningChain> {
  // Where verifiers with online checks ask about leaf and intermediate (Authority Information Access).
  const ocsp =
    options.ocspUrl === undefined
      ? []
      : [
          new x509.AuthorityInfoAccessExtension({
            ocsp: [new x509.GeneralName('url', options.ocspUrl)],
          }),
        ]
  // From before the oldest history Apple keeps (180 days), so seeded records verify at signedDate.
  const notBefore = new Date(now - 181 * DAY_MS)
  const notAfter = new Date(now + 365 * DAY_MS)
  const [rootKeys, intermediateKeys, leafKeys] = await Promise.all([
    newKeyPair(),
    newKeyPair(),
    newKeyPair(),
  ])

  const rootName = 'CN=notiprobe Simulator Root CA - G3, OU=notiprobe Simulator, O=notiprobe, C=US'
  const root = await x509.X509CertificateGenerator.createSelfSigned({
    name: rootName,
    keys: rootKeys,
    notBefore,
    notAfter: new Date(now + 10 * 365 * DAY_MS),
    signingAlgorithm: EC_P256,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(rootKeys.publicKey),
    ],
  })

  const intermediateName =
    'CN=notiprobe Simulator Worldwide Developer Relations CA - G6, OU=notiprobe Simulator, O=notiprobe, C=US'
  const intermediate = await x509.X509CertificateGenerator.create({
    subject: intermediateName,
    issuer: root.subject,
    publicKey: intermediateKeys.publicKey,
    signingKey: rootKeys.privateKey,
    notBefore,
    notAfter: new Date(now + 5 * 365 * DAY_MS),
    signingAlgorithm: EC_P256,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(intermediateKeys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(rootKeys.publicKey),
      new x509.Extension(APPLE_INTERMEDIATE_OID, false, DER_NULL),
      ...ocsp,
    ],
  })

  const leaf = await x509.X509CertificateGenerator.create({
    subject: 'CN=notiprobe Simulator App Store Signing, OU=notiprobe Simulator, O=notiprobe, C=US',
    issuer: intermediate.subject,
    publicKey: leafKeys.publicKey,
    signingKey: intermediateKeys.privateKey,
    notBefore,
    notAfter,
    signingAlgorithm: EC_P256,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(leafKeys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(intermediateKeys.publicKey),
      new x509.Extension(APPLE_LEAF_OID, false, DER_NULL),
      ...ocsp,
    ],
  })

  // Each CA delegates its OCSP answers to a responder certificate of its own, as Apple's CAs do.
  const responderFor = async (
    issuer: x509.X509Certificate,
    issuerKey: webcrypto.CryptoKey,
    name: string,
  ): Promise<{ der: Uint8Array; key: webcrypto.CryptoKey }> => {
    const keys = await newKeyPair()
    const certificate = await x509.X509CertificateGenerator.create({
      subject: `CN=notiprobe Simulator OCSP Responder (${name}), OU=notiprobe Simulator, O=notiprobe, C=US`,
      issuer: issuer.subject,
      publicKey: keys.publicKey,
      signingKey: issuerKey,
      notBefore,
      notAfter,
      signingAlgorithm: EC_P256,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.ocspSigning], false),
      ],
    })
    return { der: new Uint8Array(certificate.rawData), key: keys.privateKey }
  }
  const [intermediateResponder, rootResponder] = await Promise.all([
    responderFor(intermediate, intermediateKeys.privateKey, 'WWDR'),
    responderFor(root, rootKeys.privateKey, 'Root'),
  ])

  const base64 = (cert: x509.X509Certificate): string =>
    Buffer.from(cert.rawData).toString('base64')
  return {
    x5c: [base64(leaf), base64(intermediate), base64(root)],
    rootCertificatePem: root.toString('pem'),
    signingKey: leafKeys.privateKey,
    issuedBy: [
      {
        name: 'leaf',
        der: new Uint8Array(leaf.rawData),
        issuerDer: new Uint8Array(intermediate.rawData),
        responderDer: intermediateResponder.der,
        responderKey: intermediateResponder.key,
      },
      {
        name: 'intermediate',
        der: new Uint8Array(intermediate.rawData),
        issuerDer: new Uint8Array(root.rawData),
        responderDer: rootResponder.der,
        responderKey: rootResponder.key,
      },
    ],
  }
}
