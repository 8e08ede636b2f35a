/**
 * The values Apple's settings take, with no dependency at all, so that a command line can offer
 * them as choices without loading the adapter (`@notiprobe/apple/values`).
 */
export { APPLE_ENVIRONMENTS, type AppleEnvironment } from './environment.js'
