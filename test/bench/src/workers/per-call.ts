/**
 * One client in one process: for each phase, warms up, then times the calls, sequentially or with
 * concurrent callers sharing the client. Run by the orchestrator with `--expose-gc`; prints one
 * result line.
 */
import { loadAppleClient, loadGitHubClient, loadSailPointClient } from '../clients/load.js'
import type { AppleBenchClient, GitHubBenchClient, SailPointBenchClient } from '../clients/types.js'
import { emitResult, type PerCallPhase, type PerCallResult, type PerCallTask } from '../protocol.js'
import { GITHUB_PAGE_SIZE, readTarget } from '../target.js'

const task = JSON.parse(process.argv[2] ?? '{}') as PerCallTask
const target = readTarget()

async function run(
  calls: number,
  concurrency: number,
  call: () => Promise<unknown>,
): Promise<{ wallMs: number; cpuMs: number }> {
  const cpu = process.cpuUsage()
  const started = performance.now()
  let issued = 0
  await Promise.all(
    Array.from({ length: Math.min(concurrency, calls) }, async () => {
      while (issued < calls) {
        issued++
        await call()
      }
    }),
  )
  const wallMs = performance.now() - started
  const used = process.cpuUsage(cpu)
  return { wallMs, cpuMs: (used.user + used.system) / 1000 }
}

/** A token whose status the simulator already answers with a delivery attempt. */
async function deliveredToken(client: AppleBenchClient): Promise<string> {
  const token = await client.requestTest()
  const until = Date.now() + 10_000
  for (;;) {
    try {
      await client.status(token)
      return token
    } catch (error) {
      if (Date.now() > until) throw error
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }
}

const appleClients = new Map<string, AppleBenchClient>()
let sailpoint: SailPointBenchClient | undefined
const githubClients = new Map<string, GitHubBenchClient>()
let token: string | undefined

async function githubCallOf(phase: PerCallPhase): Promise<() => Promise<unknown>> {
  // Pings go to a simulator that defers their deliveries; reads to a hook with a seeded page.
  const githubTarget = phase.workload === 'github.ping' ? target.github : target.githubRead
  if (githubTarget === undefined) throw new Error(`no GitHub simulator given for ${phase.workload}`)
  let client = githubClients.get(githubTarget.baseUrl)
  if (client === undefined) {
    client = (await loadGitHubClient(task.client))(githubTarget)
    githubClients.set(githubTarget.baseUrl, client)
  }
  const github = client
  if (phase.workload === 'github.ping') return () => github.ping()
  return async () => {
    const read = await github.deliveries()
    if (read !== GITHUB_PAGE_SIZE) throw new Error(`read ${String(read)} deliveries, not a page`)
  }
}

async function callOf(phase: PerCallPhase): Promise<() => Promise<unknown>> {
  if (phase.workload === 'sailpoint.send') {
    if (target.sailpoint === undefined) throw new Error('no SailPoint simulator given')
    const client = (sailpoint ??= (await loadSailPointClient(task.client))(target.sailpoint))
    return () => client.send()
  }
  if (phase.workload === 'github.ping' || phase.workload === 'github.deliveries') {
    return githubCallOf(phase)
  }
  // Test requests go to a simulator that defers deliveries; reads to one that delivers at once.
  const appleTarget = phase.workload === 'apple.test' ? target.apple : target.appleRead
  if (appleTarget === undefined) throw new Error(`no Apple simulator given for ${phase.workload}`)
  let client = appleClients.get(appleTarget.baseUrl)
  if (client === undefined) {
    client = (await loadAppleClient(task.client))(appleTarget)
    appleClients.set(appleTarget.baseUrl, client)
  }
  const apple = client
  if (phase.workload === 'apple.test') return () => apple.requestTest()
  const delivered = (token ??= await deliveredToken(apple))
  if (phase.workload === 'apple.status') return () => apple.status(delivered)
  return () => apple.statusVerified(delivered)
}

const results: PerCallResult[] = []
try {
  for (const phase of task.phases) {
    const call = await callOf(phase)
    await run(task.warmup, phase.concurrency, call)
    ;(globalThis as { gc?: () => void }).gc?.()
    const timing = await run(phase.calls, phase.concurrency, call)
    results.push({ client: task.client, ...phase, ...timing })
  }
} finally {
  for (const client of appleClients.values()) client.close()
  sailpoint?.close()
  for (const client of githubClients.values()) client.close()
}
emitResult(results)
