/** The App Store environment a simulator plays: it decides history reach, rate limits and payloads. */
export type AppleEnvironment = 'Sandbox' | 'Production'
