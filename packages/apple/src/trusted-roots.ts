import { X509Certificate } from 'node:crypto'
import { NotificationTestError, type ErrorKind } from '@notiprobe/core'
import { APPLE_ROOT_CA_G3_PEM } from './apple-root-ca-g3.js'
import { MAX_CERTIFICATE_BYTES, describeSubject } from './certificate-name.js'

/** A trusted root: PEM text (one or more certificates) or DER bytes. */
export type RootCertificateInput = string | Uint8Array

export interface TrustedRootsContext {
  readonly operation: string
  readonly kind: Extract<ErrorKind, 'config' | 'invalid_input'>
  readonly field: string
}

/**
 * Roots checked but not yet parsed: each one's DER bytes, the name errors give it, and the context
 * to report a problem in. The full parse (ASN.1 extensions, exact validity) is done by the
 * verification code, which is loaded and run on the first verification only.
 */
export interface CheckedRoots {
  readonly ders: readonly Buffer[]
  /** `rootCertificates[0]`, ... (or Apple's root), in the same order as `ders`. */
  readonly fields: readonly string[]
  readonly context: TrustedRootsContext
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----/g

const appleRoots: CheckedRoots = {
  ders: pemBlocks(APPLE_ROOT_CA_G3_PEM),
  fields: ['Apple Root CA - G3'],
  context: { operation: 'apple.verifySignedPayload', kind: 'config', field: 'Apple Root CA - G3' },
}

/**
 * The roots a signed payload may chain to: the caller's, which replace Apple's when given (pass
 * `APPLE_ROOT_CA_G3_PEM` among them to keep trusting Apple), or Apple Root CA - G3.
 *
 * Cheap, and done at once so that a bad root is an error where it is configured: each entry must
 * hold a certificate (PEM blocks or DER bytes) that Node's `X509Certificate` reads and that is a
 * CA. No ASN.1 library is loaded here.
 */
export function checkTrustedRoots(
  inputs: readonly RootCertificateInput[] | undefined,
  context: TrustedRootsContext,
): CheckedRoots {
  if (inputs === undefined) return appleRoots
  const ders: Buffer[] = []
  const fields: string[] = []
  inputs.forEach((input, index) => {
    const field = `${context.field}[${index}]`
    const fail = (why: string): never => {
      throw trustedRootError(context, field, why)
    }
    const blocks = typeof input === 'string' ? pemBlocks(input) : [Buffer.from(input)]
    if (blocks.length === 0) {
      fail('expected a PEM certificate (a BEGIN CERTIFICATE block) or DER bytes')
    }
    for (const der of blocks) {
      let x509: X509Certificate
      try {
        if (der.length === 0 || der.length > MAX_CERTIFICATE_BYTES) throw new Error('size')
        x509 = new X509Certificate(der)
      } catch {
        return fail('is not a valid X.509 certificate')
      }
      if (!x509.ca) {
        fail(`${describeSubject(x509)} is not a CA certificate, so it cannot be a root`)
      }
      ders.push(der)
      fields.push(field)
    }
    return undefined
  })
  return { ders, fields, context }
}

/** The error a root that is not one gives, at construction or (rarely) when first parsed in full. */
export function trustedRootError(
  context: TrustedRootsContext,
  field: string,
  why: string,
): NotificationTestError {
  return new NotificationTestError({
    vendor: 'apple',
    operation: context.operation,
    kind: context.kind,
    message: `${field}: ${why}`,
  })
}

function pemBlocks(text: string): Buffer[] {
  return [...text.matchAll(PEM_CERTIFICATE)].map((match) =>
    Buffer.from((match[1] ?? '').replace(/\s+/g, ''), 'base64'),
  )
}
