/**
 * The values Apple's settings take, with no import at all, so that a command line can offer them
 * as choices without loading the adapter (`@notiprobe/apple/values`).
 */

/** The App Store environment a client talks to and a notification comes from. */
export type AppleEnvironment = 'Sandbox' | 'Production'

export const APPLE_ENVIRONMENTS = [
  'Sandbox',
  'Production',
] as const satisfies readonly AppleEnvironment[]
