/**
 * @notiprobe/core/zod: the one zod every adapter validates with. Core's bundle carries zod inlined,
 * so an adapter importing `z` from here loads no second copy (zod is ~95 modules unbundled).
 */
export { z } from 'zod'
