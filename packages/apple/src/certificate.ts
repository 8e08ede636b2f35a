import { X509Certificate } from 'node:crypto'
import { AsnConvert } from '@peculiar/asn1-schema'
import { Certificate } from '@peculiar/asn1-x509'
import { MAX_CERTIFICATE_BYTES, describeSubject } from './certificate-name.js'

/**
 * One X.509 certificate, read twice: Node's `X509Certificate` for signatures and issuer checks, and
 * the ASN.1 structure for what Node cannot read (extensions, exact validity).
 */
export interface ParsedCertificate {
  readonly der: Buffer
  readonly x509: X509Certificate
  readonly extensionIds: ReadonlySet<string>
  /** Epoch milliseconds. */
  readonly notBefore: number
  readonly notAfter: number
  /** The ASN.1 structure, for online checks (the OCSP request names the serial and issuer). */
  readonly asn1: Certificate
}

/** Parses a DER certificate; throws a plain Error when it is not one. */
export function parseCertificate(der: Uint8Array): ParsedCertificate {
  if (der.length === 0 || der.length > MAX_CERTIFICATE_BYTES) {
    throw new Error(`a certificate must be 1 to ${MAX_CERTIFICATE_BYTES} bytes`)
  }
  const bytes = Buffer.from(der)
  const x509 = new X509Certificate(bytes)
  const asn1 = AsnConvert.parse(bytes, Certificate)
  const { validity, extensions } = asn1.tbsCertificate
  return {
    der: bytes,
    x509,
    extensionIds: new Set(Array.from(extensions ?? [], (extension) => extension.extnID)),
    notBefore: validity.notBefore.getTime().getTime(),
    notAfter: validity.notAfter.getTime().getTime(),
    asn1,
  }
}

/** The certificate's subject common name, or its whole subject, for messages. */
export function describeCertificate(certificate: ParsedCertificate): string {
  return describeSubject(certificate.x509)
}
