import type { X509Certificate } from 'node:crypto'

/** Larger than any certificate Apple uses many times over, small enough to bound the work. */
export const MAX_CERTIFICATE_BYTES = 16 * 1024

/** A certificate's subject common name, or its whole subject, for messages. */
export function describeSubject(x509: X509Certificate): string {
  const subject = x509.subject
  return /(?:^|\n)CN=([^\n]+)/.exec(subject)?.[1] ?? subject.replace(/\n/g, ', ')
}
