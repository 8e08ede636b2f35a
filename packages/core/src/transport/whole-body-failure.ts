import { loadAxios } from './load-axios.js'
import { BodyReadFailure } from './read-body.js'

/**
 * axios's own body errors, when it reads an answer whole, as the streamed reader's typed reasons,
 * so that both ways of reading fail alike. With every status accepted (`validateStatus`), an axios
 * error that carries the response came after the headers: the body broke off (its code, if any, is
 * the stream's own, ECONNRESET). The size limit's error is the one ERR_BAD_RESPONSE without it.
 * Anything else (no answer at all) passes through unchanged.
 */
export function wholeBodyFailure(caught: unknown, maxBytes: number): unknown {
  if (!loadAxios().isAxiosError(caught)) return caught
  if (caught.response !== undefined) {
    const code = caught.code === 'ERR_BAD_RESPONSE' ? undefined : caught.code
    return new BodyReadFailure('cut_short', 'the connection closed before the response ended', code)
  }
  if (caught.code === 'ERR_BAD_RESPONSE') {
    return new BodyReadFailure('too_large', `the response was larger than ${maxBytes} bytes`)
  }
  return caught
}
