import diagnostics from 'node:diagnostics_channel'
import type http from 'node:http'
import { Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import { createRequire } from 'node:module'
import type * as ProxyAgentModule from 'https-proxy-agent'
import type { HttpsProxyAgent } from 'https-proxy-agent'
import type { ConnectedSockets } from './connected-sockets.js'

/** Most a proxy may send before its answer to CONNECT ends: Node's own limit for HTTP headers. */
export const MAX_PROXY_REPLY_BYTES = 16 * 1024

/**
 * Most an https:// proxy may send before its answer to CONNECT ends, counted under TLS: the answer's
 * limit and room for the proxy's TLS handshake (a certificate chain is a few kilobytes).
 */
export const MAX_TLS_PROXY_REPLY_BYTES = MAX_PROXY_REPLY_BYTES + 64 * 1024

/** The code of the error a proxy's oversized CONNECT answer ends the connection with. */
export const PROXY_REPLY_TOO_LARGE = 'EPROXYREPLYTOOLARGE'

/** The same, from an https:// proxy: what it sent is counted under TLS, its handshake included. */
export const TLS_PROXY_REPLY_TOO_LARGE = 'ETLSPROXYREPLYTOOLARGE'

/** What each of the two codes says, for the error a person reads. */
export const PROXY_REPLY_FAILURES: Readonly<Record<string, string>> = {
  [PROXY_REPLY_TOO_LARGE]: `the proxy's answer to CONNECT went past ${MAX_PROXY_REPLY_BYTES} bytes without ending its headers`,
  [TLS_PROXY_REPLY_TOO_LARGE]: `the proxy sent more than ${MAX_TLS_PROXY_REPLY_BYTES} bytes over TLS without ending its answer to CONNECT`,
}

type TunnelOptions = Parameters<HttpsProxyAgent<string>['connect']>[1]
type VendorTls = { ca?: string | Buffer | (string | Buffer)[] }

// https-proxy-agent makes its socket to an http:// proxy inside `connect` and reads the answer to
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
 * than `MAX_PROXY_REPLY_BYTES` (`MAX_TLS_PROXY_REPLY_BYTES` over TLS) before its headers end ends
 * the connection.
 */
export function createTunnelAgent(
  proxy: URL,
  agentOptions: http.AgentOptions,
  vendorTls: VendorTls,
  sockets: ConnectedSockets,
): HttpsProxyAgent<string> {
  TunnelAgent ??= defineTunnelAgent(
    (createRequire(import.meta.url)('https-proxy-agent') as typeof ProxyAgentModule)
      .HttpsProxyAgent,
  )
  return new TunnelAgent(proxy, agentOptions, vendorTls, sockets)
}

type TunnelAgentClass = new (
  proxy: URL,
  agentOptions: http.AgentOptions,
  vendorTls: VendorTls,
  sockets: ConnectedSockets,
) => HttpsProxyAgent<string>

// https-proxy-agent (and its `debug`) loads when a proxy is first used, not at import: most
// programs use none, and it was a tenth of an adapter's import time.
let TunnelAgent: TunnelAgentClass | undefined

function defineTunnelAgent(Base: typeof HttpsProxyAgent): TunnelAgentClass {
  return class TunnelAgent extends Base<string> {
    readonly #vendorTls: VendorTls
    readonly #sockets: ConnectedSockets
    /** The TCP socket under each tunnel through an https:// proxy, which TLS leaves for us to ref. */
    readonly #tcpUnder = new WeakMap<Duplex, Socket>()

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
      // To an https:// proxy the TCP socket is made here and handed to TLS unconnected: TLS then
      // reads it through its 'data' events (a connected one it would read natively, unseen), so
      // what the proxy sends can be counted. To an http:// proxy it is https-proxy-agent's own.
      const underTls = this.proxy.protocol === 'https:' ? new Socket() : undefined
      let toProxy = underTls
      // Only for this call: the socket to the proxy is made with the request's signal (TLS ends
      // the socket under it with its own).
      this.connectOpts = { ...shared, signal: ended.signal, ...(underTls && { socket: underTls }) }
      if (underTls === undefined) claim = (socket) => (toProxy ??= socket)
      let tunnel: ReturnType<HttpsProxyAgent<string>['connect']>
      try {
        tunnel = super.connect(req, { ...opts, ...this.#vendorTls })
      } finally {
        claim = undefined
        this.connectOpts = shared
      }
      underTls?.connect({ host: shared.host, port: shared.port })
      const unguard =
        toProxy === undefined ? undefined : guardReply(toProxy, underTls !== undefined)
      try {
        const socket = await tunnel
        this.#sockets.watch(socket)
        if (underTls !== undefined) this.#tcpUnder.set(socket, underTls)
        return socket
      } catch (error) {
        // A tunnel that never opened leaves nothing open, the socket made here for TLS included.
        underTls?.destroy()
        throw error
      } finally {
        unguard?.()
        // The prototype's again, now that the tunnel exists or never will.
        delete (req as { destroy?: unknown }).destroy
      }
    }

    // http.Agent unrefs a socket it keeps for later, so an idle connection never holds the process
    // open, and refs it again when it reuses it. A tunnel's TLS reading the TCP socket through JS
    // passes neither on: the TCP socket under it follows here. (keepSocketAlive's answer, typed
    // void by @types/node, tells http.Agent whether to keep the socket: passed back as is.)
    override keepSocketAlive(socket: Duplex): void {
      this.#tcpUnder.get(socket)?.unref()
      return super.keepSocketAlive(socket)
    }

    override reuseSocket(socket: Duplex, request: http.ClientRequest): void {
      this.#tcpUnder.get(socket)?.ref()
      super.reuseSocket(socket, request)
    }
  }
}

/**
 * Ends `socket` once more than the limit came before the tunnel opened: MAX_PROXY_REPLY_BYTES of
 * the answer, or MAX_TLS_PROXY_REPLY_BYTES of TLS when the proxy is https://.
 */
function guardReply(socket: Socket, overTls: boolean): () => void {
  const limit = overTls ? MAX_TLS_PROXY_REPLY_BYTES : MAX_PROXY_REPLY_BYTES
  const code = overTls ? TLS_PROXY_REPLY_TOO_LARGE : PROXY_REPLY_TOO_LARGE
  const check = (): void => {
    if (socket.bytesRead <= limit) return
    socket.destroy(Object.assign(new Error(PROXY_REPLY_FAILURES[code]), { code }))
  }
  // Under TLS the socket already flows, read by TLS: a 'data' listener only counts. A plain one
  // https-proxy-agent reads in paused mode, where a 'data' listener would switch it to flowing and
  // lose what the vendor sends later: so 'readable' there.
  const event = overTls ? 'data' : 'readable'
  socket.on(event, check)
  return () => socket.off(event, check)
}
