import { z } from 'zod'

/** CA certificates (PEM text or DER/PEM buffers), as Node's TLS `ca` takes them. */
export type CaCertificates = string | Buffer | readonly (string | Buffer)[]

/**
 * How an adapter reaches its vendor, the same for every adapter: through which proxy, trusting
 * which CAs.
 */
export interface ConnectionOptions {
  /**
   * An HTTP(S) proxy to tunnel every vendor call through with CONNECT (TLS stays end to end), e.g.
   * `http://user:pass@proxy.corp:3128`; `false` for none, whatever the environment says. Default:
   * `HTTPS_PROXY` / `https_proxy` (`HTTP_PROXY` for an `http` URL), except hosts in `NO_PROXY`.
   */
  readonly proxy?: string | false | undefined
  /**
   * CA certificates trusted for vendor connections (a TLS-inspecting proxy's), replacing Node's
   * defaults for them. To add to the defaults instead, set `NODE_EXTRA_CA_CERTS`.
   */
  readonly ca?: CaCertificates | undefined
}

const pemOrBuffer = z.union([
  z.string().includes('-----BEGIN CERTIFICATE-----', {
    error: 'expected a PEM certificate (a BEGIN CERTIFICATE block)',
  }),
  z.instanceof(Buffer, { error: 'expected PEM text or a Buffer' }),
])

/** The zod fields of `ConnectionOptions`, for each adapter's options schema. */
export const connectionOptionsShape = {
  proxy: z
    .union([z.string().min(1), z.literal(false)], {
      error: 'expected a proxy URL such as http://proxy.corp:3128, or false for none',
    })
    .optional(),
  ca: z
    .union([pemOrBuffer, z.array(pemOrBuffer).min(1)], {
      error: 'expected CA certificates: PEM text, a Buffer, or an array of them',
    })
    .optional(),
}
