// A cold process that pings one GitHub repository hook with notiprobe, its defaults as shipped.
const scriptStartMs = performance.now()
const { createGitHubTester } = await import('@notiprobe/github')
const importedMs = performance.now()
const { gitHubTarget } = await import('../target.js')
const target = gitHubTarget()
const tester = createGitHubTester({
  baseUrl: target.baseUrl,
  target: { owner: target.owner, repo: target.repo, hookId: target.hookId },
  auth: { token: target.token },
})
await tester.send()
const answeredMs = performance.now()
const { emitColdStartResult } = await import('../protocol.js')
emitColdStartResult(scriptStartMs, importedMs, answeredMs)
