import type { IncomingMessage, ServerResponse } from 'node:http'
import { z } from 'zod'
import { endpointFaultSchema, type FaultInjector } from './faults.js'
import { BodyTooLargeError, readBody, sendJson } from './http-io.js'

/** Paths under this prefix belong to the simulator itself, never to the emulated vendor. */
export const CONTROL_PREFIX = '/__simulator/'

export interface ControlSurfaceOptions<E extends string> {
  faults: FaultInjector<E>
  /** The vendor's inspection snapshot, served as JSON. */
  inspect: () => unknown
}

const clearSchema = z.strictObject({ clear: z.literal(true), endpoint: z.string().optional() })

/**
 * Serves the out-of-process control surface both simulators mount, so a client in another process
 * (the CLI's end-to-end tests) can see what arrived and inject faults:
 * - `GET /__simulator/inspect`: the vendor's inspection JSON;
 * - `GET /__simulator/faults`: the active faults and counts;
 * - `POST /__simulator/faults`: `{endpoint, ...FaultSpec}` sets one, `{clear: true, endpoint?}`
 *   clears. Answers 200 with the active faults, 400 with `{error}` on a bad body.
 * Resolves to false when the path is not a control path, so the vendor router carries on.
 * These requests are neither logged nor faulted.
 */
export async function handleControlRequest<E extends string>(
  req: IncomingMessage,
  res: ServerResponse,
  options: ControlSurfaceOptions<E>,
): Promise<boolean> {
  const path = (req.url ?? '/').split('?', 1)[0] ?? '/'
  if (!path.startsWith(CONTROL_PREFIX)) return false
  const name = path.slice(CONTROL_PREFIX.length)
  const { faults } = options

  if (name === 'inspect' && req.method === 'GET') {
    sendJson(res, 200, options.inspect())
    return true
  }
  if (name === 'faults' && req.method === 'GET') {
    sendJson(res, 200, faultsState(faults))
    return true
  }
  if (name === 'faults' && req.method === 'POST') {
    let body: unknown
    try {
      body = JSON.parse((await readBody(req, 64 * 1024)).toString('utf8'))
    } catch (error) {
      if (error instanceof BodyTooLargeError) sendJson(res, 413, { error: error.message })
      else sendJson(res, 400, { error: 'body must be JSON' })
      return true
    }
    const clear = clearSchema.safeParse(body)
    if (clear.success) {
      const { endpoint } = clear.data
      if (endpoint !== undefined && !faults.isEndpoint(endpoint)) {
        sendJson(res, 400, { error: unknownEndpoint(endpoint, faults) })
        return true
      }
      faults.clear(endpoint)
      sendJson(res, 200, faultsState(faults))
      return true
    }
    const set = endpointFaultSchema.safeParse(body)
    if (!set.success) {
      sendJson(res, 400, { error: z.prettifyError(set.error) })
      return true
    }
    const { endpoint, ...spec } = set.data
    if (!faults.isEndpoint(endpoint)) {
      sendJson(res, 400, { error: unknownEndpoint(endpoint, faults) })
      return true
    }
    faults.set(endpoint, spec)
    sendJson(res, 200, faultsState(faults))
    return true
  }
  sendJson(res, 404, { error: `no simulator control at ${req.method ?? 'GET'} ${path}` })
  return true
}

function faultsState<E extends string>(faults: FaultInjector<E>): unknown {
  return { endpoints: faults.endpoints, active: faults.list(), count: faults.count }
}

function unknownEndpoint<E extends string>(endpoint: string, faults: FaultInjector<E>): string {
  return `unknown endpoint ${JSON.stringify(endpoint)}; expected one of ${faults.endpoints.join(', ')}`
}
