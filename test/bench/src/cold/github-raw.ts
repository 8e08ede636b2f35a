// The floor: node:http only.
const scriptStartMs = performance.now()
const { createGitHubClient } = await import('../clients/github-raw.js')
const importedMs = performance.now()
const { gitHubTarget } = await import('../target.js')
await createGitHubClient(gitHubTarget()).ping()
const answeredMs = performance.now()
const { emitColdStartResult } = await import('../protocol.js')
emitColdStartResult(scriptStartMs, importedMs, answeredMs)
