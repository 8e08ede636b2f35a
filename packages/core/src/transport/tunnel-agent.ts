import diagnostics from 'node:diagnostics_channel'
import type http from 'node:http'
import type { Socket } from 'node:net'
import { HttpsProxyAgent } from 'https-proxy-agent'
import type { ConnectedSockets } from './connected-sockets.js'

/** Most a proxy may send before its answer to CONNECT ends: Node's own limit for HTTP headers. */
export const MAX_PROXY_REPLY_BYTES = 16 * 1024

/** The code of the error a proxy's oversized CONNECT answer ends the connection with. */
export const PROXY_REPLY_TOO_LARGE = 'EPROXYREPLYTOOLARGE'

type TunnelOptions = Parameters<HttpsProxyAgent<string>['connect']>[1]
type VendorTls = { ca?: string | Buffer | (string | Buffer)[] }

// https-proxy-agent makes its socket to the proxy inside `connect` and reads the answer to
// CONNECT with no size limit. Node announces every client socket it makes on this channel, and
// `connect` makes that one synchronously, so a socket announced while `connect` starts is the
// proxy's: the one to watch.
let claim: ((socket: Socket) => void) | undefined
diagnostics.subscribe('net.client.socket', (message) => {
  claim?.((message as { socket: Socket }).socket)
})

/**
 * https-proxy-agent (CONNECT, so TLS stays end to end), with what it leaves to its user: `ca` is
 * for the vendor's certificate at the end of the tunnel, so it goes into each tunnel's TLS
 * options rather than the proxy's; the connection to the proxy ends when the request it is for
 * does (Ctrl-C, a deadline), even if the proxy never answers; and an answer to CONNECT larger
 * than `MAX_PROXY_REPLY_BYTES` before its headers end ends the connection.
 */
export class TunnelAgent extends HttpsProxyAgent<string> {
  readonly #vendorTls: VendorTls
  readonly #sockets: ConnectedSockets

  constructor(
    proxy: URL,
    agentOptions: http.AgentOptions,
    vendorTls: VendorTls,
    sockets: ConnectedSockets,
  ) {
    super(proxy.href, agentOptions)
    this.#vendorTls = vendorTls
    this.#sockets = sockets
  }

  override async connect(
    req: http.ClientRequest,
    opts: TunnelOptions,
  ): ReturnType<HttpsProxyAgent<string>['connect']> {
    // A request destroyed before it has a socket (axios on Ctrl-C or a deadline) emits nothing
    // until it gets one, which a silent proxy never gives: so its `destroy` says it at once.
    const ended = new AbortController()
    const destroy = req.destroy.bind(req)
    req.destroy = (error?: Error) => {
      ended.abort()
      return destroy(error)
    }
    const shared = this.connectOpts
    let toProxy: Socket | undefined
    // Only for this call: the socket to an http:// proxy is made with the request's signal.
    this.connectOpts = { ...shared, signal: ended.signal }
    claim = (socket) => (toProxy ??= socket)
    let tunnel: ReturnType<HttpsProxyAgent<string>['connect']>
    try {
      tunnel = super.connect(req, { ...opts, ...this.#vendorTls })
    } finally {
      claim = undefined
      this.connectOpts = shared
    }
    const unguard = toProxy === undefined ? undefined : guardReply(toProxy)
    try {
      const socket = await tunnel
      this.#sockets.watch(socket)
      return socket
    } finally {
      unguard?.()
      // The prototype's again, now that the tunnel exists or never will.
      delete (req as { destroy?: unknown }).destroy
    }
  }
}

/** Ends `socket` once more than MAX_PROXY_REPLY_BYTES came before the tunnel opened. */
function guardReply(socket: Socket): () => void {
  // 'readable', not 'data': https-proxy-agent reads the answer in paused mode, and a 'data'
  // listener would switch the socket to flowing mode and lose what the vendor sends later.
  const check = (): void => {
    if (socket.bytesRead <= MAX_PROXY_REPLY_BYTES) return
    const error = new Error(
      `the proxy's answer to CONNECT went past ${MAX_PROXY_REPLY_BYTES} bytes without ending its headers`,
    )
    socket.destroy(Object.assign(error, { code: PROXY_REPLY_TOO_LARGE }))
  }
  socket.on('readable', check)
  return () => socket.off('readable', check)
}
