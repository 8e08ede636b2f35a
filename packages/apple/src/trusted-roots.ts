import { NotificationTestError, type ErrorKind } from '@notiprobe/core'
import { APPLE_ROOT_CA_G3_PEM } from './apple-root-ca-g3.js'
import { describeCertificate, parseCertificate, type ParsedCertificate } from './certificate.js'

/** A trusted root: PEM text (one or more certificates) or DER bytes. */
export type RootCertificateInput = string | Uint8Array

export interface TrustedRootsContext {
  readonly operation: string
  readonly kind: Extract<ErrorKind, 'config' | 'invalid_input'>
  readonly field: string
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----/g

let appleRoots: readonly ParsedCertificate[] | undefined

/** Apple Root CA - G3, parsed once. */
export function defaultTrustedRoots(): readonly ParsedCertificate[] {
  appleRoots ??= [parseCertificate(pemBlocks(APPLE_ROOT_CA_G3_PEM)[0])]
  return appleRoots
}

/**
 * The roots a signed payload may chain to: the caller's, which replace Apple's when given (pass
 * `APPLE_ROOT_CA_G3_PEM` among them to keep trusting Apple), or Apple Root CA - G3.
 */
export function parseTrustedRoots(
  inputs: readonly RootCertificateInput[] | undefined,
  context: TrustedRootsContext,
): readonly ParsedCertificate[] {
  if (inputs === undefined) return defaultTrustedRoots()
  const roots: ParsedCertificate[] = []
  inputs.forEach((input, index) => {
    const field = `${context.field}[${index}]`
    const fail = (why: string): never => {
      throw new NotificationTestError({
        vendor: 'apple',
        operation: context.operation,
        kind: context.kind,
        message: `${field}: ${why}`,
      })
    }
    const ders = typeof input === 'string' ? pemBlocks(input) : [input]
    if (ders.length === 0) {
      fail('expected a PEM certificate (a BEGIN CERTIFICATE block) or DER bytes')
    }
    for (const der of ders) {
      let certificate: ParsedCertificate
      try {
        certificate = parseCertificate(der)
      } catch {
        return fail('is not a valid X.509 certificate')
      }
      if (!certificate.x509.ca) {
        fail(`${describeCertificate(certificate)} is not a CA certificate, so it cannot be a root`)
      }
      roots.push(certificate)
    }
    return undefined
  })
  return roots
}

function pemBlocks(text: string): Buffer[] {
  return [...text.matchAll(PEM_CERTIFICATE)].map((match) =>
    Buffer.from((match[1] ?? '').replace(/\s+/g, ''), 'base64'),
  )
}
