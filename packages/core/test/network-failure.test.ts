import { describe, expect, it } from 'vitest'
import { classifyNetworkFailure } from '../src/network-failure.js'

describe('classifyNetworkFailure', () => {
  it('knows a request that never left', () => {
    expect(classifyNetworkFailure('ECONNREFUSED', 'connect ECONNREFUSED')).toMatchObject({
      kind: 'network',
      reach: 'not_sent',
    })
    expect(classifyNetworkFailure('ENOTFOUND', 'getaddrinfo ENOTFOUND')).toMatchObject({
      reach: 'not_sent',
    })
  })

  it('treats a dropped connection and a body cut short alike: the vendor may have acted', () => {
    expect(classifyNetworkFailure('ECONNRESET', 'socket hang up')).toMatchObject({
      kind: 'network',
      reach: 'unknown',
    })
    expect(classifyNetworkFailure('ERR_BAD_RESPONSE', 'stream has been aborted')).toEqual({
      kind: 'network',
      reach: 'unknown',
      code: 'ERR_BAD_RESPONSE',
      description: 'the connection closed before the response ended',
    })
  })

  it('reports an oversized or unreadable response as invalid_response', () => {
    expect(
      classifyNetworkFailure('ERR_BAD_RESPONSE', 'maxContentLength size of 10 exceeded'),
    ).toMatchObject({
      kind: 'invalid_response',
      description: 'the response was larger than allowed',
    })
  })
})
