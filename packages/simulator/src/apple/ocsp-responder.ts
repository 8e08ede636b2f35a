import { createHash, KeyObject, sign } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import {
  BasicOCSPResponse,
  CertStatus,
  KeyHash,
  OCSPRequest,
  OCSPResponse,
  OCSPResponseStatus,
  ResponderID,
  ResponseBytes,
  ResponseData,
  RevokedInfo,
  SingleResponse,
  id_pkix_ocsp_basic,
  type CertID,
} from '@peculiar/asn1-ocsp'
import { AsnConvert, OctetString } from '@peculiar/asn1-schema'
import { AlgorithmIdentifier, Certificate } from '@peculiar/asn1-x509'
import { readBody, startLoopbackServer } from '../common/index.js'
import type { IssuedCertificate } from './certificate-chain.js'

/** What the responder says about a certificate, or how it fails. */
export type OcspMode = 'good' | 'revoked' | 'unavailable' | 'error'

/** The simulator's OCSP responder: a host of its own, as Apple's is. */
export interface OcspResponder {
  readonly url: string
  /** Serves answers about these certificates (set once the chain naming this URL exists). */
  serve(certificates: readonly IssuedCertificate[]): void
  /**
   * `good` (default); `revoked` for one certificate; `unavailable` drops every connection;
   * `error` answers HTTP 500.
   */
  set(mode: OcspMode, certificate?: 'leaf' | 'intermediate'): void
  /** Requests received so far, for tests of a verifier's cache. */
  readonly requests: number
  close(): Promise<void>
}

const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2'
const HASHES: Readonly<Record<string, string>> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
}
/** Answers are good for an hour, as a real responder's nextUpdate would say. */
const VALIDITY_MS = 3_600_000

/** Starts an OCSP responder (RFC 6960, POST) on loopback, answering for the simulator's chain. */
export async function startOcspResponder(now: () => number): Promise<OcspResponder> {
  let certificates: readonly IssuedCertificate[] = []
  let mode: OcspMode = 'good'
  let revoked: 'leaf' | 'intermediate' | undefined
  let requests = 0

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    requests++
    if (mode === 'unavailable') {
      req.socket.destroy()
      return
    }
    if (mode === 'error') {
      req.resume()
      res.writeHead(500, { 'content-length': 0 }).end()
      return
    }
    const body = await readBody(req, 16 * 1024)
    let answer: Buffer
    try {
      const request = AsnConvert.parse(body, OCSPRequest)
      const certId = request.tbsRequest.requestList[0]?.reqCert
      const issued = certId === undefined ? undefined : certificates.find((c) => matches(certId, c))
      answer =
        certId === undefined || issued === undefined
          ? unauthorized()
          : answerFor(certId, issued, issued.name === revoked, now())
    } catch {
      answer = Buffer.from(
        AsnConvert.serialize(
          new OCSPResponse({ responseStatus: OCSPResponseStatus.malformedRequest }),
        ),
      )
    }
    res.writeHead(200, {
      'content-type': 'application/ocsp-response',
      'content-length': answer.length,
    })
    res.end(answer)
  }

  const server = await startLoopbackServer(handle)
  return {
    url: `${server.baseUrl}/ocsp`,
    serve(list) {
      certificates = list
    },
    set(next, certificate) {
      mode = next
      revoked = next === 'revoked' ? (certificate ?? 'leaf') : undefined
    },
    get requests() {
      return requests
    },
    close: () => server.close(),
  }
}

/** The request's CertID names this certificate: its serial, its issuer's name and key hashes. */
function matches(certId: CertID, issued: IssuedCertificate): boolean {
  const hash = HASHES[certId.hashAlgorithm.algorithm]
  if (hash === undefined) return false
  const subject = AsnConvert.parse(issued.der, Certificate).tbsCertificate
  const issuer = AsnConvert.parse(issued.issuerDer, Certificate).tbsCertificate
  const digest = (data: ArrayBuffer): Buffer =>
    createHash(hash).update(new Uint8Array(data)).digest()
  return (
    Buffer.from(certId.serialNumber).equals(Buffer.from(subject.serialNumber)) &&
    Buffer.from(certId.issuerNameHash.buffer).equals(
      digest(AsnConvert.serialize(issuer.subject)),
    ) &&
    Buffer.from(certId.issuerKeyHash.buffer).equals(
      digest(issuer.subjectPublicKeyInfo.subjectPublicKey),
    )
  )
}

/** A basic response about one certificate, signed by the responder its issuer delegated to. */
function answerFor(
  certId: CertID,
  issued: IssuedCertificate,
  isRevoked: boolean,
  at: number,
): Buffer {
  const responder = AsnConvert.parse(issued.responderDer, Certificate)
  const keyHash = createHash('sha1')
    .update(new Uint8Array(responder.tbsCertificate.subjectPublicKeyInfo.subjectPublicKey))
    .digest()
  const thisUpdate = new Date(at - 60_000)
  const data = new ResponseData({
    responderID: new ResponderID({ byKey: new KeyHash(keyHash) }),
    producedAt: new Date(at),
    responses: [
      new SingleResponse({
        certID: certId,
        certStatus: isRevoked
          ? new CertStatus({ revoked: new RevokedInfo({ revocationTime: thisUpdate }) })
          : new CertStatus({ good: null }),
        thisUpdate,
        nextUpdate: new Date(at + VALIDITY_MS),
      }),
    ],
  })
  const tbs = Buffer.from(AsnConvert.serialize(data))
  const signature = sign('sha256', tbs, {
    key: KeyObject.from(issued.responderKey),
    dsaEncoding: 'der',
  })
  const basic = new BasicOCSPResponse({
    tbsResponseData: data,
    signatureAlgorithm: new AlgorithmIdentifier({ algorithm: ECDSA_WITH_SHA256 }),
    signature: new Uint8Array(signature).buffer,
    // Optional in RFC 6960, but responders send the delegated signer's certificate, and Apple's
    // verifier (app-store-server-library 3.1.0) fails without it.
    certs: [responder],
  })
  return Buffer.from(
    AsnConvert.serialize(
      new OCSPResponse({
        responseStatus: OCSPResponseStatus.successful,
        responseBytes: new ResponseBytes({
          responseType: id_pkix_ocsp_basic,
          response: new OctetString(AsnConvert.serialize(basic)),
        }),
      }),
    ),
  )
}

function unauthorized(): Buffer {
  return Buffer.from(
    AsnConvert.serialize(new OCSPResponse({ responseStatus: OCSPResponseStatus.unauthorized })),
  )
}
