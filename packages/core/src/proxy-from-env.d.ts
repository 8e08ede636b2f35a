// proxy-from-env ships no types; this is the one function notiprobe uses.
declare module 'proxy-from-env' {
  /** The proxy URL for `url` by *_PROXY and NO_PROXY, or '' for a direct connection. */
  export function getProxyForUrl(url: string | URL): string
}
