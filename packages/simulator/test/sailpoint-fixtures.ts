import {
  startSailPointSimulator,
  type SailPointSimulator,
  type SailPointSimulatorOptions,
} from '../src/sailpoint/index.js'

/** 2026-01-01T00:00:00Z: every SailPoint test runs on this clock unless it moves it. */
export const T0 = Date.UTC(2026, 0, 1)

export interface Harness {
  sim: SailPointSimulator
  clock: { now: number }
  token(clientId?: string, clientSecret?: string): Promise<string>
  api(
    path: string,
    init?: {
      method?: string
      body?: unknown
      token?: string | null
      headers?: Record<string, string>
    },
  ): Promise<Response>
}

/** A simulator on a fixed clock with `random` always 0, so tracking ids are all zeros. */
export async function startHarness(options: SailPointSimulatorOptions = {}): Promise<Harness> {
  const clock = { now: T0 }
  const sim = await startSailPointSimulator({
    clientId: 'admin-client',
    clientSecret: 'admin-secret',
    tenant: 'acme',
    now: () => clock.now,
    random: () => 0,
    ...options,
  })
  const token = async (clientId = 'admin-client', clientSecret = 'admin-secret') => {
    const res = await fetch(sim.tokenUrl, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: clientId,
        client_secret: clientSecret,
      }),
    })
    if (res.status !== 200) throw new Error(`token request failed: ${String(res.status)}`)
    return ((await res.json()) as { access_token: string }).access_token
  }
  let cached: string | undefined
  const api: Harness['api'] = async (path, init = {}) => {
    const bearer = init.token === undefined ? (cached ??= await token()) : init.token
    const headers: Record<string, string> = { ...init.headers }
    if (bearer !== null) headers.authorization = `Bearer ${bearer}`
    if (init.body !== undefined) headers['content-type'] ??= 'application/json'
    return fetch(`${sim.baseUrl}${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers,
      ...(init.body === undefined
        ? {}
        : { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }),
    })
  }
  return { sim, clock, token, api }
}

export const ZERO_TRACKING_ID = '0'.repeat(32)

/** The ErrorResponseDto the simulator answers with, given `random` is always 0. */
export function errorDto(detailCode: string, text: string, causes: string[] = []) {
  const message = (t: string) => ({ locale: 'en-US', localeOrigin: 'DEFAULT', text: t })
  return {
    detailCode,
    trackingId: ZERO_TRACKING_ID,
    messages: [message(text)],
    causes: causes.map(message),
  }
}

export const WORK_ITEM_SEND = {
  key: 'cloud_manual_work_item_summary',
  medium: 'EMAIL',
  context: { numberOfPendingTasks: '4', taskTasks: 'tasks' },
}
