// A cold process that sends one Apple test notification with notiprobe: the serverless case.
const scriptStartMs = performance.now()
const { createAppleTester } = await import('@notiprobe/apple')
const importedMs = performance.now()
const { appleTarget } = await import('../target.js')
const target = appleTarget()
const tester = createAppleTester({
  issuerId: target.issuerId,
  keyId: target.keyId,
  privateKey: target.privateKeyPem,
  bundleId: target.bundleId,
  environment: 'Sandbox',
  baseUrl: target.baseUrl,
})
await tester.send()
const answeredMs = performance.now()
const { emitColdStartResult } = await import('../protocol.js')
emitColdStartResult(scriptStartMs, importedMs, answeredMs)
