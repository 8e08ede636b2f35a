// The same with Octokit, the client a GitHub user would otherwise pick (clients/github-sdk.ts).
const scriptStartMs = performance.now()
const { createGitHubClient } = await import('../clients/github-sdk.js')
const importedMs = performance.now()
const { gitHubTarget } = await import('../target.js')
await createGitHubClient(gitHubTarget()).ping()
const answeredMs = performance.now()
const { emitColdStartResult } = await import('../protocol.js')
emitColdStartResult(scriptStartMs, importedMs, answeredMs)
