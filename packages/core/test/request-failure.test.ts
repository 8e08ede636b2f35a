import { describe, expect, it } from 'vitest'
import { BodyReadFailure } from '../src/transport/read-body.js'
import { classifyRequestFailure } from '../src/transport/request-failure.js'

const withCode = (code: string, message = 'whatever the library said'): Error =>
  Object.assign(new Error(message), { code })

describe('classifyRequestFailure', () => {
  it('knows a request that never left', () => {
    expect(classifyRequestFailure(withCode('ECONNREFUSED'))).toMatchObject({
      kind: 'network',
      reach: 'not_sent',
      description: 'the connection was refused',
    })
    expect(classifyRequestFailure(withCode('ENOTFOUND'))).toMatchObject({ reach: 'not_sent' })
  })

  it('treats a dropped connection and a body cut short alike: the vendor may have acted', () => {
    expect(classifyRequestFailure(withCode('ECONNRESET', 'socket hang up'))).toMatchObject({
      kind: 'network',
      reach: 'unknown',
    })
    expect(
      classifyRequestFailure(
        new BodyReadFailure('cut_short', 'the connection closed before the response ended'),
      ),
    ).toEqual({
      kind: 'network',
      reach: 'unknown',
      code: 'ECONNRESET',
      description: 'the connection closed before the response ended',
    })
  })

  it('reports an oversized response as invalid_response, by its typed reason', () => {
    expect(classifyRequestFailure(new BodyReadFailure('too_large', 'any words'))).toMatchObject({
      kind: 'invalid_response',
      reach: 'answered',
      description: 'the response was larger than allowed',
    })
  })

  it('never reads the message: the same code classifies the same whatever the words', () => {
    const words = ['stream has been aborted', 'maxContentLength exceeded', 'premature close', '']
    const verdicts = words.map((message) => classifyRequestFailure(withCode('EPIPE', message)))
    expect(new Set(verdicts.map((verdict) => JSON.stringify(verdict))).size).toBe(1)
    expect(classifyRequestFailure(new Error('maxContentLength size of 10 exceeded'))).toMatchObject(
      { kind: 'network', reach: 'unknown' },
    )
  })
})
