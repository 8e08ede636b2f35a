import { NotificationTestError } from './error.js'
import { kindOf } from './given-value.js'

/** The environment as adapters read it: `process.env` or any record of strings. */
export type Env = Readonly<Record<string, string | undefined>>

/** An adapter's variables by the option each one sets: `{clientId: 'SAIL_CLIENT_ID'}`. */
export type EnvTable = Readonly<Record<string, string>>

/**
 * The convention every adapter's `xOptionsFromEnv(env = process.env, overrides = {})` follows: the
 * variables of its `X_ENV` table, keyed by variable name, one that is empty or only white space
 * counting as unset (as shells and .env files often leave them). Which are required, and how each is read, is the
 * adapter's: its errors name the variable.
 */
export function readEnv<T extends EnvTable>(
  env: Env,
  table: T,
  context: { readonly vendor: string; readonly operation: string },
): Partial<Record<T[keyof T], string>> {
  const present: Partial<Record<string, string>> = {}
  for (const name of Object.values(table)) {
    // A record built by hand may hold anything: only text (or nothing) is a variable's value.
    const value: unknown = readVariable(env, name, context)
    if (value === undefined) continue
    if (typeof value !== 'string') {
      throw notText(
        context,
        name,
        `must be a string, as environment variables are; got ${kindOf(value)}`,
      )
    }
    if (value.trim() !== '') present[name] = value
  }
  return present
}

function readVariable(
  env: Env,
  name: string,
  context: { readonly vendor: string; readonly operation: string },
): unknown {
  try {
    return env[name]
  } catch {
    throw notText(context, name, 'could not be read (a getter or Proxy threw); pass plain strings')
  }
}

function notText(
  context: { readonly vendor: string; readonly operation: string },
  name: string,
  problem: string,
): NotificationTestError {
  return new NotificationTestError({
    vendor: context.vendor,
    operation: context.operation,
    kind: 'config',
    message: `Invalid environment variable ${name}: ${problem}`,
  })
}

/** `overrides` over `fromEnv`, an override left undefined not counting. */
export function withOverrides<T extends object>(fromEnv: Partial<T>, overrides: Partial<T>): T {
  const defined = Object.fromEntries(
    Object.entries(overrides).filter(([, value]) => value !== undefined),
  )
  return { ...fromEnv, ...defined } as T
}
