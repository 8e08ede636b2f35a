/** The App Store environment a client talks to and a notification comes from. */
export type AppleEnvironment = 'Sandbox' | 'Production'

export const APPLE_ENVIRONMENTS = [
  'Sandbox',
  'Production',
] as const satisfies readonly AppleEnvironment[]
