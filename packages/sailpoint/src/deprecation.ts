import type { VendorResponse } from '@notiprobe/core/adapter'
import { PATHS, type SailPointApiVersion } from './constants.js'

/**
 * SailPoint marks a retired endpoint's answers with `X-Deprecated: true` and keeps serving it for a
 * while: worth a warning, never an error. A `Sunset` header, where there is one, gives the date.
 */
export function deprecationWarning(
  response: VendorResponse,
  endpoint: string,
  apiVersion: SailPointApiVersion,
): string | undefined {
  if (response.headers['x-deprecated']?.trim().toLowerCase() !== 'true') return undefined
  const sunset = response.headers.sunset?.trim()
  const when = sunset ? ` SailPoint gives the sunset date ${sunset}.` : ''
  const move =
    apiVersion === 'beta'
      ? ` Move to apiVersion 'v1' (POST ${PATHS.v1.sendTest}) before SailPoint retires it.`
      : ` Check SailPoint's API changelog for its successor.`
  return `SailPoint marked ${endpoint} as deprecated (X-Deprecated: true).${when}${move}`
}
