/**
 * For profiling by hand: starts the simulators a per-call round uses (plus a seeded history),
 * prints the value of NOTIPROBE_BENCH_TARGET, and serves until interrupted. Then, e.g.:
 *
 *   export NOTIPROBE_BENCH_TARGET="$(node test/bench/dist/serve.js | head -1)"   # in another shell
 *   node --cpu-prof test/bench/dist/workers/per-call.js \
 *     '{"client":"notiprobe","phases":[{"workload":"apple.status","concurrency":1,"calls":4000}],"warmup":1000}'
 *   node --expose-gc --trace-gc test/bench/dist/workers/history.js \
 *     '{"client":"notiprobe","startDate":<from stderr>,"endDate":<from stderr>,"expected":100000}'
 */
import { startApple, startGitHub, startReceiver, startSailPoint } from './simulators.js'
import { GITHUB_PAGE_SIZE } from './target.js'

const receiver = await startReceiver()
const send = await startApple(receiver, { deliveryDelayMs: 3_600_000 })
const read = await startApple(receiver)
const sailpoint = await startSailPoint()
const github = await startGitHub(receiver, { deliveryDelayMs: 3_600_000 })
const githubRead = await startGitHub(receiver, { seeded: GITHUB_PAGE_SIZE })
const now = Date.now()
const window = { startDate: now - 20 * 3_600_000, endDate: now - 2 * 3_600_000 }
send.simulator.seedHistory({ count: 100_000, ...window })
process.stdout.write(
  `${JSON.stringify({
    apple: send.target,
    appleRead: read.target,
    sailpoint: sailpoint.target,
    github: github.target,
    githubRead: githubRead.target,
  })}\n`,
)
process.stderr.write(`history window (100,000 records): ${JSON.stringify(window)}\n`)
const stop = (): void => {
  void Promise.all([
    send.simulator.close(),
    read.simulator.close(),
    sailpoint.simulator.close(),
    github.simulator.close(),
    githubRead.simulator.close(),
  ])
    .then(() => receiver.close())
    .then(() => process.exit(0))
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
