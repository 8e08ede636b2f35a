// The adapter's own name for the environment values, which live import-free in values.ts.
export { APPLE_ENVIRONMENTS, type AppleEnvironment } from './values.js'
