// The same with Apple's official library (pointed at the simulator as in clients/apple-sdk.ts).
const scriptStartMs = performance.now()
const { createAppleClient } = await import('../clients/apple-sdk.js')
const importedMs = performance.now()
const { appleTarget } = await import('../target.js')
await createAppleClient(appleTarget()).requestTest()
const answeredMs = performance.now()
const { emitColdStartResult } = await import('../protocol.js')
emitColdStartResult(scriptStartMs, importedMs, answeredMs)
