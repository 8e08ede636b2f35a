// A cold process that sends one SailPoint test notification with notiprobe (token fetch included).
const scriptStartMs = performance.now()
const { createSailPointTester } = await import('@notiprobe/sailpoint')
const importedMs = performance.now()
const { sailPointTarget, SAILPOINT_SEND } = await import('../target.js')
const target = sailPointTarget()
const tester = createSailPointTester({
  baseUrl: target.baseUrl,
  tokenUrl: target.tokenUrl,
  clientId: target.clientId,
  clientSecret: target.clientSecret,
  apiVersion: 'beta',
})
await tester.send({ ...SAILPOINT_SEND, context: { ...SAILPOINT_SEND.context } })
const answeredMs = performance.now()
const { emitColdStartResult } = await import('../protocol.js')
emitColdStartResult(scriptStartMs, importedMs, answeredMs)
