import http from 'node:http'
import https from 'node:https'
import { getProxyForUrl } from 'proxy-from-env'
import type { CaCertificates } from '../connection-options.js'
import { NotificationTestError } from '../error.js'
import { registerSecret } from '../redact.js'
import { ConnectedSockets } from './connected-sockets.js'
import { TunnelAgent } from './tunnel-agent.js'

/** The proxy a transport tunnels through, as it may be printed. */
export interface ProxyRoute {
  /** Scheme, host and port: never the credentials. */
  readonly display: string
  /** The option or environment variable it came from: `proxy`, `HTTPS_PROXY`. */
  readonly source: string
}

export interface ConnectionSettings {
  readonly vendor: string
  readonly proxy?: string | false | undefined
  /** The option `proxy` came from, named if it is refused. */
  readonly proxyField?: string | undefined
  readonly ca?: CaCertificates | undefined
}

const AGENT_OPTIONS = { keepAlive: true, maxSockets: 64 } as const

/**
 * The agents of one vendor origin: direct, or through a proxy by CONNECT (https-proxy-agent, for
 * `http` targets too, so nothing but the tunnel request ever goes to the proxy in clear). It also
 * keeps what the proxy answered each request, so a refusal is reported as the proxy's, not the
 * vendor's.
 */
export class Connections {
  readonly httpAgent: http.Agent
  readonly httpsAgent: http.Agent
  readonly proxy: ProxyRoute | undefined
  /** Requests whose CONNECT the proxy answered, with its status. */
  readonly #tunnels = new WeakMap<object, number>()
  readonly #sockets = new ConnectedSockets()

  constructor(target: URL, settings: ConnectionSettings) {
    const ca =
      settings.ca === undefined ? {} : { ca: settings.ca as string | Buffer | (string | Buffer)[] }
    const chosen = chooseProxy(target, settings)
    const sockets = this.#sockets
    if (chosen === undefined) {
      this.proxy = undefined
      this.httpAgent = watched(new http.Agent(AGENT_OPTIONS), sockets)
      this.httpsAgent = watched(new https.Agent({ ...AGENT_OPTIONS, ...ca }), sockets)
      return
    }
    this.proxy = chosen.route
    const agent = new TunnelAgent(chosen.url, AGENT_OPTIONS, ca, sockets)
    agent.on('proxyConnect', (answer: { statusCode: number }, request: object) => {
      this.#tunnels.set(request, answer.statusCode)
    })
    this.httpAgent = agent
    this.httpsAgent = agent
  }

  /** The proxy's status when it refused to open the tunnel of `request`. */
  refusal(request: unknown): number | undefined {
    if (this.proxy === undefined || typeof request !== 'object' || request === null)
      return undefined
    const status = this.#tunnels.get(request)
    return status === undefined || status === 200 ? undefined : status
  }

  /**
   * Whether `request` failed at the proxy, before a tunnel to the vendor existed (nothing reached
   * the vendor). A request on a reused tunnel had one, though no CONNECT was seen for it.
   */
  failedBeforeTunnel(request: unknown): boolean {
    if (this.proxy === undefined || typeof request !== 'object' || request === null) return false
    if ((request as { reusedSocket?: boolean }).reusedSocket === true) return false
    return !this.#tunnels.has(request)
  }

  /**
   * Whether `request` got as far as a connected socket (a tunnel open, a TLS handshake done): if
   * not, it was interrupted before any of it left this machine.
   */
  reachedConnection(request: unknown): boolean {
    return this.#sockets.reachedConnection(request)
  }

  destroy(): void {
    this.httpAgent.destroy()
    if (this.httpsAgent !== this.httpAgent) this.httpsAgent.destroy()
  }
}

/** `agent`, its new sockets followed by `sockets` until they are connected. */
function watched<A extends http.Agent>(agent: A, sockets: ConnectedSockets): A {
  const create = agent.createConnection.bind(agent)
  agent.createConnection = (...args) => {
    const stream = create(...args)
    sockets.watch(stream)
    return stream
  }
  return agent
}

function chooseProxy(
  target: URL,
  settings: ConnectionSettings,
): { url: URL; route: ProxyRoute } | undefined {
  if (settings.proxy === false) return undefined
  if (settings.proxy !== undefined) {
    return parseProxy(settings.proxy, settings.proxyField ?? 'proxy', settings.vendor)
  }
  const value = getProxyForUrl(target)
  if (value === '') return undefined
  const variable = proxyVariable(target.protocol.replace(':', ''), value)
  // curl reads a proxy without a scheme as http://, the usual corporate setting.
  const raw = process.env[variable] ?? value
  return parseProxy(raw.includes('://') ? raw : `http://${raw}`, variable, settings.vendor)
}

/** Which variable proxy-from-env took the value from (lower case first, as it reads them). */
function proxyVariable(protocol: string, value: string): string {
  const names = [`${protocol}_proxy`, `${protocol.toUpperCase()}_PROXY`, 'all_proxy', 'ALL_PROXY']
  return (
    names.find((name) => {
      const raw = process.env[name]
      return raw !== undefined && raw !== '' && (raw === value || value.endsWith(`://${raw}`))
    }) ?? `${protocol.toUpperCase()}_PROXY`
  )
}

function parseProxy(value: string, field: string, vendor: string): { url: URL; route: ProxyRoute } {
  const fail = (why: string): never => {
    throw new NotificationTestError({
      vendor,
      operation: `${vendor}.configure`,
      kind: 'config',
      message: `${field} ${why}`,
    })
  }
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return fail('is not a valid proxy URL: expected e.g. http://proxy.corp:3128')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return fail(`must be an http:// or https:// proxy URL (got ${url.protocol.replace(':', '')})`)
  }
  if (url.password !== '') {
    let password: string
    try {
      password = decodeURIComponent(url.password)
    } catch {
      // Not the password itself: the message must not carry it.
      return fail(
        'has a password that is not valid percent-encoding: write % as %25, and any other reserved character as % and two hex digits',
      )
    }
    registerSecret(password)
  }
  const display = `${url.protocol}//${url.host}`
  return { url, route: { display, source: field } }
}
