/**
 * @notiprobe/core/zod: the one zod every adapter validates with. Core's bundle carries zod inlined,
 * so an adapter importing `z` from here loads no second copy (zod is ~95 modules unbundled). `z`
 * holds the members notiprobe uses (`zod-members.ts`), so the bundle leaves the rest of zod out.
 */
export * as z from './zod-members.js'
