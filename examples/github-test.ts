// Ping a GitHub webhook and confirm the delivery in the hook's deliveries log: `delivered` means
// the receiver answered 2xx; `failed` comes with GitHub's status and the receiver's answer.
//
// With GITHUB_TOKEN (or GH_TOKEN), GITHUB_REPOSITORY and GITHUB_HOOK_ID set it pings your hook;
// without them it starts the local GitHub simulator and a receiver that checks every signature:
//   pnpm --filter @notiprobe/examples github-test
import { createServer } from 'node:http'
import { isNotificationTestError, runTest } from '@notiprobe/core'
import {
  createGitHubTester,
  createWebhookHandler,
  githubOptionsFromEnv,
  type GitHubTester,
} from '@notiprobe/github'
import { startGitHubSimulator, type GitHubSimulator } from '@notiprobe/simulator'

let simulator: GitHubSimulator | undefined
let tester: GitHubTester
const handler = createWebhookHandler({
  secret: 'example-webhook-secret',
  onEvent: (event) => console.log(`received ${event.name} ${event.deliveryId}, signature verified`),
})
const receiver = createServer((req, res) => void handler(req, res))
if (process.env.GITHUB_HOOK_ID) {
  tester = createGitHubTester(githubOptionsFromEnv())
} else {
  simulator = await startGitHubSimulator()
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
  const { port } = receiver.address() as { port: number }
  const hook = simulator.createHook({
    target: { owner: 'octocat', repo: 'hello-world' },
    url: `http://127.0.0.1:${port}/`,
    secret: 'example-webhook-secret',
  })
  tester = createGitHubTester({
    baseUrl: simulator.baseUrl,
    target: { owner: 'octocat', repo: 'hello-world', hookId: hook.id },
    auth: { token: simulator.credentials.token },
    rateLimits: 'off',
  })
}

try {
  // GitHub says deliveries can take a few minutes to show in the log.
  const outcome = await runTest(tester, { timeoutMs: 300_000 })
  console.log(outcome.summary)
} catch (error) {
  if (!isNotificationTestError(error)) throw error
  console.error(`${error.kind}: ${error.message}`)
  process.exitCode = 1
} finally {
  tester.close()
  receiver.close()
  await simulator?.close()
}
