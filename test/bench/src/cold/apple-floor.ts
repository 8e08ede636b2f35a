// The named-dependency floor: axios and jose used bare, JSON.parse.
const scriptStartMs = performance.now()
const { createAppleClient } = await import('../clients/apple-floor.js')
const importedMs = performance.now()
const { appleTarget } = await import('../target.js')
await createAppleClient(appleTarget()).requestTest()
const answeredMs = performance.now()
const { emitColdStartResult } = await import('../protocol.js')
emitColdStartResult(scriptStartMs, importedMs, answeredMs)
