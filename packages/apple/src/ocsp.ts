// Loaded by online checks only (`import()` in online-checks.ts): OCSP requests and answers with a
// maintained ASN.1 library (@peculiar/asn1-ocsp), no hand-written DER.
import { createHash, verify as verifySignature, X509Certificate } from 'node:crypto'
import {
  BasicOCSPResponse,
  CertID,
  OCSPRequest,
  OCSPResponse,
  OCSPResponseStatus,
  Request,
  TBSRequest,
  id_kp_OCSPSigning,
  id_pkix_ocsp,
  id_pkix_ocsp_basic,
} from '@peculiar/asn1-ocsp'
import { AsnConvert, OctetString } from '@peculiar/asn1-schema'
import {
  AlgorithmIdentifier,
  AuthorityInfoAccessSyntax,
  ExtendedKeyUsage,
  id_ce_extKeyUsage,
  id_pe_authorityInfoAccess,
  type Certificate,
} from '@peculiar/asn1-x509'
import type { ParsedCertificate } from './certificate.js'
import { VerificationFailure } from './verification-failure.js'

const SHA256 = '2.16.840.1.101.3.4.2.1'
const SKEW_MS = 60_000
/** Signature algorithms Apple's verifier accepts on an OCSP answer (SHA-256, -384, -512). */
const SIGNATURE_HASHES: Readonly<Record<string, string>> = {
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
}

/** What a responder said about one certificate. */
export type OcspStatus =
  | { readonly status: 'good'; readonly nextUpdate: number | undefined }
  | { readonly status: 'revoked'; readonly revokedAt: number }
  | { readonly status: 'unknown' }

/** The http(s) URL of the OCSP responder the certificate names (Authority Information Access). */
export function ocspUrlOf(certificate: ParsedCertificate, name: string): string {
  const extension = certificate.asn1.tbsCertificate.extensions?.find(
    (candidate) => candidate.extnID === id_pe_authorityInfoAccess,
  )
  const access =
    extension === undefined
      ? []
      : AsnConvert.parse(extension.extnValue.buffer, AuthorityInfoAccessSyntax)
  for (const description of access) {
    const uri = description.accessLocation.uniformResourceIdentifier
    if (
      description.accessMethod === id_pkix_ocsp &&
      uri !== undefined &&
      /^https?:\/\//i.test(uri)
    ) {
      return uri
    }
  }
  throw new VerificationFailure(
    `${name} names no OCSP responder, so its revocation cannot be checked`,
  )
}

function certIdOf(certificate: ParsedCertificate, issuer: ParsedCertificate): CertID {
  const issuerTbs = issuer.asn1.tbsCertificate
  return new CertID({
    hashAlgorithm: new AlgorithmIdentifier({ algorithm: SHA256 }),
    issuerNameHash: new OctetString(sha('sha256', AsnConvert.serialize(issuerTbs.subject))),
    issuerKeyHash: new OctetString(sha('sha256', issuerTbs.subjectPublicKeyInfo.subjectPublicKey)),
    serialNumber: certificate.asn1.tbsCertificate.serialNumber,
  })
}

/** The DER OCSP request for one certificate, its CertID hashed with SHA-256 as Apple's verifier does. */
export function ocspRequestFor(certificate: ParsedCertificate, issuer: ParsedCertificate): Buffer {
  const request = new OCSPRequest({
    tbsRequest: new TBSRequest({
      requestList: [new Request({ reqCert: certIdOf(certificate, issuer) })],
    }),
  })
  return Buffer.from(AsnConvert.serialize(request))
}

/**
 * Reads a responder's DER answer about `certificate`: a successful basic response, signed by the
 * issuer itself or by a certificate the issuer delegated OCSP signing to (valid at `now`), holding
 * a response for this very CertID that is current at `now`. Anything else is a VerificationFailure.
 */
export function readOcspAnswer(
  der: Uint8Array,
  certificate: ParsedCertificate,
  issuer: ParsedCertificate,
  name: string,
  now: number,
): OcspStatus {
  const fail = (why: string): never => {
    throw new VerificationFailure(`the OCSP answer for ${name} ${why}`)
  }
  let response: OCSPResponse
  let basic: BasicOCSPResponse
  try {
    response = AsnConvert.parse(der, OCSPResponse)
    if (response.responseStatus !== OCSPResponseStatus.successful) {
      return fail(`is not successful (status ${String(response.responseStatus)})`)
    }
    if (response.responseBytes?.responseType !== id_pkix_ocsp_basic) {
      return fail('is not a basic OCSP response')
    }
    basic = AsnConvert.parse(response.responseBytes.response.buffer, BasicOCSPResponse)
  } catch (error) {
    if (error instanceof VerificationFailure) throw error
    return fail('is not valid DER')
  }
  const signer =
    responderCertificate(basic, issuer, now) ??
    fail('is not signed by its issuer or a delegated responder')
  const hash =
    SIGNATURE_HASHES[basic.signatureAlgorithm.algorithm] ??
    fail('uses an unsupported signature algorithm')
  const signed = basic.tbsResponseDataRaw
  if (
    signed === undefined ||
    !verifySignature(hash, Buffer.from(signed), signer.publicKey, Buffer.from(basic.signature))
  ) {
    return fail('has a signature that does not verify')
  }
  const wanted = Buffer.from(AsnConvert.serialize(certIdOf(certificate, issuer)))
  const single = basic.tbsResponseData.responses.find((candidate) =>
    wanted.equals(Buffer.from(AsnConvert.serialize(candidate.certID))),
  )
  if (single === undefined) return fail('does not answer for this certificate')
  if (single.thisUpdate.getTime() > now + SKEW_MS) return fail('is dated in the future')
  const nextUpdate = single.nextUpdate?.getTime()
  if (nextUpdate !== undefined && nextUpdate < now - SKEW_MS) return fail('is out of date')
  const { certStatus } = single
  if (certStatus.revoked !== undefined) {
    return { status: 'revoked', revokedAt: certStatus.revoked.revocationTime.getTime() }
  }
  if (certStatus.good !== undefined) return { status: 'good', nextUpdate }
  return { status: 'unknown' }
}

/** The key that signed the answer: the issuer's, or a delegated responder's the issuer signed. */
function responderCertificate(
  basic: BasicOCSPResponse,
  issuer: ParsedCertificate,
  now: number,
): X509Certificate | undefined {
  const { responderID } = basic.tbsResponseData
  const candidates: Certificate[] = [issuer.asn1, ...(basic.certs ?? [])]
  const named = candidates.find((candidate) => {
    const tbs = candidate.tbsCertificate
    if (responderID.byKey !== undefined) {
      return Buffer.from(responderID.byKey.buffer).equals(
        sha('sha1', tbs.subjectPublicKeyInfo.subjectPublicKey),
      )
    }
    return (
      responderID.byName !== undefined &&
      Buffer.from(AsnConvert.serialize(responderID.byName)).equals(
        Buffer.from(AsnConvert.serialize(tbs.subject)),
      )
    )
  })
  if (named === undefined) return undefined
  if (named === issuer.asn1) return issuer.x509
  // A delegated responder: issued by the issuer, for OCSP signing, valid now.
  const delegate = new X509Certificate(Buffer.from(AsnConvert.serialize(named)))
  const usage = named.tbsCertificate.extensions?.find((e) => e.extnID === id_ce_extKeyUsage)
  const purposes =
    usage === undefined ? [] : AsnConvert.parse(usage.extnValue.buffer, ExtendedKeyUsage)
  const { notBefore, notAfter } = named.tbsCertificate.validity
  const valid =
    notBefore.getTime().getTime() <= now + SKEW_MS && notAfter.getTime().getTime() >= now - SKEW_MS
  return delegate.checkIssued(issuer.x509) &&
    delegate.verify(issuer.x509.publicKey) &&
    purposes.includes(id_kp_OCSPSigning) &&
    valid
    ? delegate
    : undefined
}

function sha(algorithm: string, data: ArrayBuffer | Uint8Array): Buffer {
  return createHash(algorithm).update(new Uint8Array(data)).digest()
}
