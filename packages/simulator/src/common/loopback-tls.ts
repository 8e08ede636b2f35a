// @peculiar/x509 needs the Reflect metadata API before it loads (see apple/certificate-chain.ts).
import 'reflect-metadata'
import * as x509 from '@peculiar/x509'
import { webcrypto } from 'node:crypto'
import { z } from 'zod'

/** A certificate and key a simulator serves HTTPS with (PEM). */
export interface ServerTls {
  readonly cert: string
  readonly key: string
}

/** HTTPS for the simulators: the server's certificate and key, and the CA a client must trust. */
export interface LoopbackTls extends ServerTls {
  /** The CA that issued `cert`: give it to clients (`NODE_EXTRA_CA_CERTS`, a `ca` option). */
  readonly caCertificatePem: string
}

const EC_P256 = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const
const DAY_MS = 86_400_000
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1'

/**
 * A fresh CA and a server certificate it issued for the loopback names (127.0.0.1, ::1,
 * localhost), valid from a day before `now` for a year: what `notiprobe simulate --tls` serves, so
 * that clients, proxies and CA bundles can be tried end to end with no real certificate.
 */
export async function createLoopbackTls(now = Date.now()): Promise<LoopbackTls> {
  const notBefore = new Date(now - DAY_MS)
  const notAfter = new Date(now + 365 * DAY_MS)
  const [caKeys, serverKeys] = await Promise.all([
    webcrypto.subtle.generateKey(EC_P256, true, ['sign', 'verify']),
    webcrypto.subtle.generateKey(EC_P256, true, ['sign', 'verify']),
  ])
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    name: 'CN=notiprobe Simulator TLS CA, O=notiprobe',
    keys: caKeys,
    notBefore,
    notAfter,
    signingAlgorithm: EC_P256,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  })
  const server = await x509.X509CertificateGenerator.create({
    subject: 'CN=127.0.0.1, O=notiprobe',
    issuer: ca.subject,
    publicKey: serverKeys.publicKey,
    signingKey: caKeys.privateKey,
    notBefore,
    notAfter,
    signingAlgorithm: EC_P256,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([SERVER_AUTH]),
      new x509.SubjectAlternativeNameExtension([
        { type: 'ip', value: '127.0.0.1' },
        { type: 'ip', value: '::1' },
        { type: 'dns', value: 'localhost' },
      ]),
      await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  })
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', serverKeys.privateKey)
  return {
    caCertificatePem: ca.toString('pem'),
    cert: server.toString('pem'),
    key: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY'),
  }
}

/** The `tls` option of every simulator. */
export const serverTlsSchema = z.strictObject({
  cert: z.string().includes('-----BEGIN CERTIFICATE-----'),
  key: z.string().includes('PRIVATE KEY-----'),
})
