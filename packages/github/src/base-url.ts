import { checkBaseUrl, isLoopbackHost } from '@notiprobe/core/adapter'
import { GITHUB_API_URL, VENDOR } from './constants.js'

export type BaseUrlCheck = { readonly url: string } | { readonly problem: string }

/** `api.SUBDOMAIN.ghe.com`: GHE.com, GitHub's data-residency cloud. */
const GHE_COM_API = /^api\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.ghe\.com$/
const GHE_COM_WEB = /^([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)\.ghe\.com$/
/** GitHub Enterprise Server serves its REST API under this path. */
const GHES_PATH = '/api/v3'
const MAX_URL_LENGTH = 2048

/**
 * Checks the REST API base URL against core's rules (https, or http on loopback; no user info,
 * query or fragment) and GitHub's three shapes: `https://api.github.com`,
 * `https://api.SUBDOMAIN.ghe.com` and GitHub Enterprise Server's `https://HOST/api/v3`. A loopback
 * URL (a simulator) may have any path. The token is sent to this host only, so the usual slips
 * (the web host instead of the API host, GHES without `/api/v3`) are refused with the right URL.
 */
export function checkGitHubBaseUrl(input: string, field: string): BaseUrlCheck {
  if (input.length > MAX_URL_LENGTH)
    return { problem: `is longer than ${MAX_URL_LENGTH} characters` }
  let url: string
  try {
    url = checkBaseUrl(input, { vendor: VENDOR, operation: 'github.configure', field })
  } catch (error) {
    return { problem: (error as Error).message.slice(field.length + 1) }
  }
  const { hostname, pathname } = new URL(url)
  const host = hostname.toLowerCase()
  const path = pathname.replace(/\/+$/, '')
  if (isLoopbackHost(host)) return { url }
  if (host === 'github.com' || host === 'www.github.com') {
    return { problem: `must be the API host, ${GITHUB_API_URL}, not the web host` }
  }
  if (host === 'api.github.com' || GHE_COM_API.test(host)) {
    return path === ''
      ? { url }
      : { problem: `must be https://${host} without a path (got the path ${path})` }
  }
  const webHost = GHE_COM_WEB.exec(host)
  if (webHost !== null && host !== 'api.ghe.com') {
    return { problem: `must be the GHE.com API host, https://api.${webHost[1] ?? ''}.ghe.com` }
  }
  if (path !== GHES_PATH) {
    return {
      problem: `must be ${GITHUB_API_URL}, https://api.SUBDOMAIN.ghe.com, or a GitHub Enterprise Server API such as https://${host}${GHES_PATH} (got ${path === '' ? 'no path' : `the path ${path}`})`,
    }
  }
  return { url }
}
