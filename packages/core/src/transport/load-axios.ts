import { createRequire } from 'node:module'
import type { AxiosStatic } from 'axios'

let axios: AxiosStatic | undefined

/**
 * axios, loaded on first use rather than at import: importing an adapter (a CLI's `--help`, an app
 * that only receives notifications) then costs no HTTP client, the largest part of its import.
 * Its single-file CommonJS build (its `require` export) loads in about half the time of its 66 ES
 * modules, and Node caches it by file, so the process holds one copy however many callers load it.
 */
export function loadAxios(): AxiosStatic {
  return (axios ??= createRequire(import.meta.url)('axios') as AxiosStatic)
}
