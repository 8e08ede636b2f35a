import { describe, expect, it } from 'vitest'
import {
  deliveriesQuery,
  hookPaths,
  installationLookupPath,
  installationTokenPath,
} from '../src/paths.js'

describe('hookPaths', () => {
  it('repository hooks: ping, push test, deliveries, one delivery, redelivery', () => {
    const paths = hookPaths({
      type: 'repository',
      owner: 'octo-org',
      repo: 'hello.world',
      hookId: '12',
    })
    expect(paths.auth).toBe('token')
    expect(paths.ping).toBe('/repos/octo-org/hello.world/hooks/12/pings')
    expect(paths.pushTest).toBe('/repos/octo-org/hello.world/hooks/12/tests')
    expect(paths.deliveries).toBe('/repos/octo-org/hello.world/hooks/12/deliveries')
    expect(paths.delivery('9223372036854775807')).toBe(
      '/repos/octo-org/hello.world/hooks/12/deliveries/9223372036854775807',
    )
    expect(paths.redeliver('5')).toBe('/repos/octo-org/hello.world/hooks/12/deliveries/5/attempts')
    expect(installationLookupPath({ type: 'repository', owner: 'o', repo: 'r', hookId: '1' })).toBe(
      '/repos/o/r/installation',
    )
  })

  it('organization hooks have a ping but no push test', () => {
    const paths = hookPaths({ type: 'organization', org: 'octo-org', hookId: '7' })
    expect(paths.ping).toBe('/orgs/octo-org/hooks/7/pings')
    expect(paths.pushTest).toBeUndefined()
    expect(paths.deliveries).toBe('/orgs/octo-org/hooks/7/deliveries')
    expect(paths.redeliver('1')).toBe('/orgs/octo-org/hooks/7/deliveries/1/attempts')
    expect(installationLookupPath({ type: 'organization', org: 'octo-org', hookId: '7' })).toBe(
      '/orgs/octo-org/installation',
    )
  })

  it("the App's hook has neither ping nor push test, and takes the App's JWT", () => {
    const paths = hookPaths({ type: 'app' })
    expect(paths.auth).toBe('app-jwt')
    expect(paths.ping).toBeUndefined()
    expect(paths.pushTest).toBeUndefined()
    expect(paths.deliveries).toBe('/app/hook/deliveries')
    expect(paths.delivery('3')).toBe('/app/hook/deliveries/3')
    expect(paths.redeliver('3')).toBe('/app/hook/deliveries/3/attempts')
    expect(installationTokenPath('99')).toBe('/app/installations/99/access_tokens')
  })

  it('encodes every segment, as a second line of defence behind validation', () => {
    const paths = hookPaths({ type: 'repository', owner: '../x', repo: 'a/b', hookId: '1?x' })
    expect(paths.ping).toBe('/repos/..%2Fx/a%2Fb/hooks/1%3Fx/pings')
  })
})

describe('deliveriesQuery', () => {
  it('asks for 100 a page, with the cursor and status filter when given', () => {
    expect(deliveriesQuery()).toBe('?per_page=100')
    expect(deliveriesQuery({ cursor: 'v1_12&x=1', status: 'failure', perPage: 30 })).toBe(
      '?per_page=30&cursor=v1_12%26x%3D1&status=failure',
    )
  })
})
