import type { ServerResponse } from 'node:http'

export {
  startVendorServer as startLocalServer,
  type ReceivedRequest,
  type VendorServer as LocalServer,
} from '@notiprobe/core/testing'

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  })
  res.end(text)
}
