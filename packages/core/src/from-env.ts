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
): Partial<Record<T[keyof T], string>> {
  const present: Partial<Record<string, string>> = {}
  for (const name of Object.values(table)) {
    const value = env[name]
    if (value !== undefined && value.trim() !== '') present[name] = value
  }
  return present
}

/** `overrides` over `fromEnv`, an override left undefined not counting. */
export function withOverrides<T extends object>(fromEnv: Partial<T>, overrides: Partial<T>): T {
  const defined = Object.fromEntries(
    Object.entries(overrides).filter(([, value]) => value !== undefined),
  )
  return { ...fromEnv, ...defined } as T
}
