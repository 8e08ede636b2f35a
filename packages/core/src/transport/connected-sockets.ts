import { Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import { TLSSocket } from 'node:tls'

/**
 * The sockets that finished connecting (their TLS handshake included). A request is written only
 * once its socket is connected, so a request interrupted before that never left this machine:
 * what lets an interrupted send say "nothing was sent" rather than "the vendor may have it".
 */
export class ConnectedSockets {
  readonly #connected = new WeakSet<object>()

  /** Follows a socket an agent just made (or a tunnel just opened). */
  watch(stream: Duplex | null | undefined): void {
    if (!(stream instanceof Socket)) return
    const mark = (): void => {
      this.#connected.add(stream)
    }
    if (stream instanceof TLSSocket) stream.once('secureConnect', mark)
    else if (stream.connecting) stream.once('connect', mark)
    else mark()
  }

  /** Whether `request` (a ClientRequest) got a connected socket, so its bytes may have left. */
  reachedConnection(request: unknown): boolean {
    if (typeof request !== 'object' || request === null) return true
    const socket = (request as { socket?: unknown }).socket
    return typeof socket === 'object' && socket !== null && this.#connected.has(socket)
  }
}
