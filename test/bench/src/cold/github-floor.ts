// The named-dependency floor: axios used bare, the token in a header.
const scriptStartMs = performance.now()
const { createGitHubClient } = await import('../clients/github-floor.js')
const importedMs = performance.now()
const { gitHubTarget } = await import('../target.js')
await createGitHubClient(gitHubTarget()).ping()
const answeredMs = performance.now()
const { emitColdStartResult } = await import('../protocol.js')
emitColdStartResult(scriptStartMs, importedMs, answeredMs)
