// A cold process that makes one call with a baseline client (`node cold/baseline.js <vendor>
// <kind>`: the official SDK, the named-dependency floor or raw node:http), loading only that
// client. notiprobe's own cold scripts (cold/<vendor>-notiprobe.ts) use its defaults as shipped.
const scriptStartMs = performance.now()
const { loadAppleClient, loadGitHubClient, loadSailPointClient } =
  await import('../clients/load.js')
const [vendor, kind] = process.argv.slice(2)
if (kind !== 'raw' && kind !== 'floor' && kind !== 'sdk') throw new Error(`unknown client ${kind}`)
const call =
  vendor === 'apple'
    ? await loadAppleClient(kind).then((create) => async () => {
        const { appleTarget } = await import('../target.js')
        await create(appleTarget()).requestTest()
      })
    : vendor === 'sailpoint'
      ? await loadSailPointClient(kind).then((create) => async () => {
          const { sailPointTarget } = await import('../target.js')
          await create(sailPointTarget()).send()
        })
      : vendor === 'github'
        ? await loadGitHubClient(kind).then((create) => async () => {
            const { gitHubTarget } = await import('../target.js')
            await create(gitHubTarget()).ping()
          })
        : undefined
if (call === undefined) throw new Error(`unknown vendor ${vendor}`)
const importedMs = performance.now()
await call()
const answeredMs = performance.now()
const { emitColdStartResult } = await import('../protocol.js')
emitColdStartResult(scriptStartMs, importedMs, answeredMs)
