/**
 * Enum values are case-insensitive everywhere on the command line: flags, variables and the
 * config file. Each spelling maps to the vendor's own (`email` → `EMAIL`, `V1` → `v1`).
 */
export function canonicalChoice<const T extends string>(
  values: readonly T[],
  given: string,
): T | undefined {
  const wanted = given.trim().toLowerCase()
  return values.find((value) => value.toLowerCase() === wanted)
}
