// The named-dependency floor: openid-client for the token, axios for the send (token fetch included).
const scriptStartMs = performance.now()
const { createSailPointClient } = await import('../clients/sailpoint-floor.js')
const importedMs = performance.now()
const { sailPointTarget } = await import('../target.js')
await createSailPointClient(sailPointTarget()).send()
const answeredMs = performance.now()
const { emitColdStartResult } = await import('../protocol.js')
emitColdStartResult(scriptStartMs, importedMs, answeredMs)
