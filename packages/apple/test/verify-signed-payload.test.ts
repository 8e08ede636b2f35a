import { X509Certificate } from 'node:crypto'
import { NotificationTestError } from '@notiprobe/core'
import { CompactSign } from 'jose'
import { describe, expect, it } from 'vitest'
import {
  APPLE_ROOT_CA_G3_PEM,
  APPLE_ROOT_CA_G3_SHA256,
  createSignedPayloadVerifier,
  verifySignedPayload,
} from '../src/index.js'
import {
  INTERMEDIATE_OID,
  LEAF_OID,
  makeCertificate,
  makeChain,
  signPayload,
  testNotification,
} from './helpers/certificates.js'
import {
  APPLE_FIXTURE,
  FIXTURE_BUNDLE_ID,
  FIXTURE_OPTIONS,
  fixtureX5c,
  withHeader,
} from './helpers/fixture.js'
import { rejectionOf } from '@notiprobe/core/testing'

async function rejectedWith(
  jws: string,
  check: string,
  options: Parameters<typeof verifySignedPayload>[1] = FIXTURE_OPTIONS,
): Promise<void> {
  const error = await rejectionOf(verifySignedPayload(jws, options))
  expect(error.kind).toBe('verification')
  expect(error.operation).toBe('apple.verifySignedPayload')
  expect(error.message).toBe(`Signed payload rejected: ${check}.`)
}

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

describe('Apple Root CA - G3', () => {
  it('is the certificate with the published SHA-256 fingerprint', () => {
    const certificate = new X509Certificate(APPLE_ROOT_CA_G3_PEM)
    expect(certificate.fingerprint256).toBe(
      '63:34:3A:BF:B8:9A:6A:03:EB:B5:7E:9B:3F:5F:A7:BE:7C:4F:5C:75:6F:30:17:B3:A8:C4:88:C3:65:3E:91:79',
    )
    expect(APPLE_ROOT_CA_G3_SHA256).toBe(certificate.fingerprint256)
    expect(certificate.subject).toContain('CN=Apple Root CA - G3')
    expect(certificate.ca).toBe(true)
  })

  it('is byte for byte the root Apple puts in its signed payloads', () => {
    const root = Buffer.from(fixtureX5c()[2], 'base64')
    expect(root.equals(new X509Certificate(APPLE_ROOT_CA_G3_PEM).raw)).toBe(true)
  })
})

describe('verifySignedPayload with a real Apple notification', () => {
  it('accepts it for its bundle id and environment, and returns the decoded notification', async () => {
    const payload = await verifySignedPayload(APPLE_FIXTURE, FIXTURE_OPTIONS)
    expect(payload).toEqual({
      notificationType: 'TEST',
      notificationUUID: '592751ef-c1b8-47fc-929e-d62dee66df4c',
      data: { bundleId: FIXTURE_BUNDLE_ID, environment: 'Sandbox' },
      version: '2.0',
      signedDate: 1757035472686,
    })
  })

  it('accepts it with surrounding whitespace, and with Apple root passed explicitly', async () => {
    await expect(
      verifySignedPayload(`\n${APPLE_FIXTURE}\n`, FIXTURE_OPTIONS),
    ).resolves.toBeDefined()
    await expect(
      verifySignedPayload(APPLE_FIXTURE, {
        ...FIXTURE_OPTIONS,
        rootCertificates: [APPLE_ROOT_CA_G3_PEM],
      }),
    ).resolves.toBeDefined()
  })

  it('rejects a change of any character of header, payload or signature', async () => {
    const verifier = createSignedPayloadVerifier(FIXTURE_OPTIONS)
    let checked = 0
    for (let index = 0; index < APPLE_FIXTURE.length; index++) {
      const original = APPLE_FIXTURE[index]
      if (original === '.') continue
      // The neighbouring character flips the lowest bit, the hardest change to notice.
      const position = BASE64URL.indexOf(original)
      const replacement = BASE64URL[position ^ 1]
      const tampered = APPLE_FIXTURE.slice(0, index) + replacement + APPLE_FIXTURE.slice(index + 1)
      const outcome = await verifier.verify(tampered).then(
        () => 'accepted',
        (error: unknown) => (error instanceof NotificationTestError ? error.kind : 'threw'),
      )
      if (outcome !== 'verification') throw new Error(`character ${index} changed: ${outcome}`)
      checked++
    }
    expect(checked).toBe(APPLE_FIXTURE.length - 2)
  })

  // Thousands of verifications: seconds alone, far more on a loaded CI machine.
  it('rejects a change of any byte of the decoded header, payload or signature', async () => {
    const verifier = createSignedPayloadVerifier(FIXTURE_OPTIONS)
    const segments = APPLE_FIXTURE.split('.').map((segment) => Buffer.from(segment, 'base64url'))
    let checked = 0
    for (let part = 0; part < 3; part++) {
      for (let index = 0; index < segments[part].length; index++) {
        const changed = segments.map((bytes) => Buffer.from(bytes))
        changed[part][index] ^= 0x20
        const tampered = changed.map((bytes) => bytes.toString('base64url')).join('.')
        const outcome = await verifier.verify(tampered).then(
          () => 'accepted',
          (error: unknown) => (error instanceof NotificationTestError ? error.kind : 'threw'),
        )
        if (outcome !== 'verification')
          throw new Error(`part ${part} byte ${index} changed: ${outcome}`)
        checked++
      }
    }
    expect(checked).toBe(segments.reduce((sum, bytes) => sum + bytes.length, 0))
  }, 180_000)

  it('rejects appended or removed characters and a non-canonical signature encoding', async () => {
    await rejectedWith(
      `${APPLE_FIXTURE}A`,
      "the signature does not verify with the leaf certificate's key",
    )
    // The last character of a 64-byte signature carries 4 unused bits: changing one must not pass.
    const last = APPLE_FIXTURE.at(-1)!
    const neighbour = BASE64URL[BASE64URL.indexOf(last) ^ 1]
    await rejectedWith(
      `${APPLE_FIXTURE.slice(0, -1)}${neighbour}`,
      'the JWS signature is not canonical base64url',
    )
    await rejectedWith(APPLE_FIXTURE.slice(0, -1), 'the JWS signature is not canonical base64url')
    await rejectedWith(
      APPLE_FIXTURE.slice(0, -2),
      "the signature does not verify with the leaf certificate's key",
    )
    await rejectedWith(
      `${APPLE_FIXTURE}.x`,
      'the signed payload is not a compact JWS (expected 3 dot-separated parts, got 4)',
    )
  })

  it('rejects it for another bundle id', async () => {
    await rejectedWith(
      APPLE_FIXTURE,
      `the payload is for bundle id "${FIXTURE_BUNDLE_ID}", not "com.example.other"`,
      { bundleId: 'com.example.other', environment: 'Sandbox' },
    )
  })

  it('rejects it for another environment', async () => {
    await rejectedWith(
      APPLE_FIXTURE,
      'the payload is for environment "Sandbox", not "Production"',
      { bundleId: FIXTURE_BUNDLE_ID, environment: 'Production', appAppleId: 1234567890 },
    )
  })

  it('rejects it for another app when both name one', async () => {
    const chain = makeChain()
    const jws = await signPayload(
      testNotification({}, { appAppleId: 111 }),
      chain.leaf.privateKey,
      [chain.leaf, chain.intermediate, chain.root],
    )
    await rejectedWith(jws, 'the payload is for app 111, not 222', {
      bundleId: 'com.example.app',
      environment: 'Sandbox',
      appAppleId: 222,
      rootCertificates: [chain.root.pem],
    })
  })

  it('rejects a shortened chain', async () => {
    const [leaf, intermediate] = fixtureX5c()
    await rejectedWith(
      withHeader((header) => ({ ...header, x5c: [leaf, intermediate] })),
      'x5c must hold exactly 3 certificates (leaf, intermediate, root); it holds 2',
    )
    await rejectedWith(
      withHeader((header) => ({ ...header, x5c: [leaf] })),
      'x5c must hold exactly 3 certificates (leaf, intermediate, root); it holds 1',
    )
    await rejectedWith(
      withHeader(({ x5c: _x5c, ...header }) => header),
      'the JWS header has no x5c certificate chain',
    )
  })

  it('rejects a longer chain', async () => {
    const x5c = fixtureX5c()
    await rejectedWith(
      withHeader((header) => ({ ...header, x5c: [...x5c, x5c[2]] })),
      'x5c must hold exactly 3 certificates (leaf, intermediate, root); it holds 4',
    )
  })

  it('rejects a reordered chain', async () => {
    const [leaf, intermediate, root] = fixtureX5c()
    await rejectedWith(
      withHeader((header) => ({ ...header, x5c: [intermediate, leaf, root] })),
      'x5c[1] (intermediate) is not issued and signed by a trusted root',
    )
    // Apple's root in the intermediate's place is issued by a trusted root (itself), but did not
    // issue the leaf.
    await rejectedWith(
      withHeader((header) => ({ ...header, x5c: [leaf, root, intermediate] })),
      'x5c[0] (leaf) is not issued and signed by x5c[1] (intermediate)',
    )
    await rejectedWith(
      withHeader((header) => ({ ...header, x5c: [root, intermediate, root] })),
      'x5c[0] (leaf) is not issued and signed by x5c[1] (intermediate)',
    )
  })

  it('rejects alg none and HS256, whatever the chain', async () => {
    await rejectedWith(
      withHeader((header) => ({ ...header, alg: 'none' })),
      'the JWS header alg is "none"; only ES256 is accepted',
    )
    await rejectedWith(
      withHeader((header) => ({ ...header, alg: 'ES384' })),
      'the JWS header alg is "ES384"; only ES256 is accepted',
    )
    await rejectedWith(
      withHeader(({ alg: _alg, ...header }) => header),
      'the JWS header alg is missing; only ES256 is accepted',
    )
    const [, payload] = APPLE_FIXTURE.split('.')
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', x5c: fixtureX5c() })).toString('base64url')}.${payload}.`
    await rejectedWith(none, 'the JWS signature is not base64url')
    const hs256 = await new CompactSign(Buffer.from(payload, 'base64url'))
      .setProtectedHeader({ alg: 'HS256', x5c: fixtureX5c() })
      .sign(new TextEncoder().encode('a shared secret that is long enough!'))
    await rejectedWith(hs256, 'the JWS header alg is "HS256"; only ES256 is accepted')
  })

  it('rejects input that is not a compact JWS, and oversized input', async () => {
    await rejectedWith(
      '',
      'the signed payload is not a compact JWS (expected 3 dot-separated parts, got 1)',
    )
    await rejectedWith(
      'a.b',
      'the signed payload is not a compact JWS (expected 3 dot-separated parts, got 2)',
    )
    await rejectedWith('a!.b.c', 'the JWS header is not base64url')
    await rejectedWith(
      `${Buffer.from('[1]').toString('base64url')}.e30.AA`,
      'the JWS header is not a JSON object',
    )
    await rejectedWith(
      `${Buffer.from('{').toString('base64url')}.e30.AA`,
      'the JWS header is not JSON',
    )
    await rejectedWith(123 as unknown as string, 'the signed payload is not a string')
    await rejectedWith(
      'a'.repeat(300_000),
      'the signed payload is 300000 characters, more than the 262144 allowed',
    )
  })
})

describe('verifySignedPayload with chains shaped like Apple’s', () => {
  const chain = makeChain()
  const all = [chain.leaf, chain.intermediate, chain.root]
  const trusting = {
    bundleId: 'com.example.app',
    environment: 'Sandbox',
    rootCertificates: [chain.root.pem],
  } as const

  it('accepts a well-formed chain only when its root is trusted', async () => {
    const jws = await signPayload(testNotification(), chain.leaf.privateKey, all)
    await expect(verifySignedPayload(jws, trusting)).resolves.toMatchObject({
      notificationType: 'TEST',
    })
    await rejectedWith(jws, 'x5c[1] (intermediate) is not issued and signed by a trusted root', {
      bundleId: 'com.example.app',
      environment: 'Sandbox',
    })
  })

  it('accepts DER roots and several roots', async () => {
    const jws = await signPayload(testNotification(), chain.leaf.privateKey, all)
    await expect(
      verifySignedPayload(jws, {
        ...trusting,
        rootCertificates: [APPLE_ROOT_CA_G3_PEM, new Uint8Array(chain.root.der)],
      }),
    ).resolves.toBeDefined()
  })

  it('rejects a payload re-rooted onto Apple’s real root', async () => {
    // An intermediate named after Apple's root but signed by another key.
    const fake = makeCertificate({ name: 'Apple Root CA - G3', ca: true })
    const intermediate = makeCertificate({
      name: 'Fake WWDR',
      issuer: fake,
      ca: true,
      extensions: [INTERMEDIATE_OID],
    })
    const leaf = makeCertificate({
      name: 'Fake leaf',
      issuer: intermediate,
      extensions: [LEAF_OID],
    })
    const appleRoot = { ...fake, der: Buffer.from(fixtureX5c()[2], 'base64') }
    const jws = await signPayload(testNotification(), leaf.privateKey, [
      leaf,
      intermediate,
      appleRoot,
    ])
    await rejectedWith(jws, 'x5c[1] (intermediate) is not issued and signed by a trusted root', {
      bundleId: 'com.example.app',
      environment: 'Sandbox',
    })
  })

  it('rejects an intermediate that is not a CA', async () => {
    const bad = makeChain({ intermediate: { ca: false } })
    const jws = await signPayload(testNotification(), bad.leaf.privateKey, [
      bad.leaf,
      bad.intermediate,
      bad.root,
    ])
    await rejectedWith(jws, 'x5c[1] (intermediate) is not a CA certificate', {
      ...trusting,
      rootCertificates: [bad.root.pem],
    })
  })

  it('rejects a leaf or an intermediate without Apple’s extension', async () => {
    const noLeafOid = makeChain({ leaf: { extensions: [] } })
    await rejectedWith(
      await signPayload(testNotification(), noLeafOid.leaf.privateKey, [
        noLeafOid.leaf,
        noLeafOid.intermediate,
        noLeafOid.root,
      ]),
      `x5c[0] (leaf) lacks Apple's extension ${LEAF_OID}`,
      { ...trusting, rootCertificates: [noLeafOid.root.pem] },
    )
    const noIntermediateOid = makeChain({ intermediate: { extensions: [] } })
    await rejectedWith(
      await signPayload(testNotification(), noIntermediateOid.leaf.privateKey, [
        noIntermediateOid.leaf,
        noIntermediateOid.intermediate,
        noIntermediateOid.root,
      ]),
      `x5c[1] (intermediate) lacks Apple's extension ${INTERMEDIATE_OID}`,
      { ...trusting, rootCertificates: [noIntermediateOid.root.pem] },
    )
    // The two OIDs swapped are not accepted either.
    const swapped = makeChain({
      leaf: { extensions: [INTERMEDIATE_OID] },
      intermediate: { extensions: [LEAF_OID] },
    })
    await rejectedWith(
      await signPayload(testNotification(), swapped.leaf.privateKey, [
        swapped.leaf,
        swapped.intermediate,
        swapped.root,
      ]),
      `x5c[0] (leaf) lacks Apple's extension ${LEAF_OID}`,
      { ...trusting, rootCertificates: [swapped.root.pem] },
    )
  })

  it('rejects a leaf not signed by the intermediate', async () => {
    const forged = makeChain({ leaf: { signWith: makeCertificate({ name: 'other' }).privateKey } })
    await rejectedWith(
      await signPayload(testNotification(), forged.leaf.privateKey, [
        forged.leaf,
        forged.intermediate,
        forged.root,
      ]),
      'x5c[0] (leaf) is not issued and signed by x5c[1] (intermediate)',
      { ...trusting, rootCertificates: [forged.root.pem] },
    )
  })

  it('rejects a signature made with another key than the leaf’s', async () => {
    const other = makeCertificate({ name: 'other' })
    await rejectedWith(
      await signPayload(testNotification(), other.privateKey, all),
      "the signature does not verify with the leaf certificate's key",
      trusting,
    )
  })

  it('checks validity at signedDate with 60 s of skew', async () => {
    const signedDate = Date.parse('2030-01-01T00:00:00Z')
    const ending = (ms: number) => makeChain({ leaf: { notAfter: new Date(signedDate - ms) } })
    const justExpired = ending(30_000)
    await expect(
      verifySignedPayload(
        await signPayload(testNotification(), justExpired.leaf.privateKey, [
          justExpired.leaf,
          justExpired.intermediate,
          justExpired.root,
        ]),
        { ...trusting, rootCertificates: [justExpired.root.pem] },
      ),
    ).resolves.toBeDefined()
    const expired = ending(90_000)
    await rejectedWith(
      await signPayload(testNotification(), expired.leaf.privateKey, [
        expired.leaf,
        expired.intermediate,
        expired.root,
      ]),
      'x5c[0] (leaf) was not valid at 2030-01-01T00:00:00.000Z (valid from 2020-01-01T00:00:00.000Z to 2029-12-31T23:58:30.000Z)',
      { ...trusting, rootCertificates: [expired.root.pem] },
    )
    const notYet = makeChain({ intermediate: { notBefore: new Date(signedDate + 120_000) } })
    await rejectedWith(
      await signPayload(testNotification(), notYet.leaf.privateKey, [
        notYet.leaf,
        notYet.intermediate,
        notYet.root,
      ]),
      'x5c[1] (intermediate) was not valid at 2030-01-01T00:00:00.000Z (valid from 2030-01-01T00:02:00.000Z to 2040-01-01T00:00:00.000Z)',
      { ...trusting, rootCertificates: [notYet.root.pem] },
    )
  })

  it('rejects a payload without signedDate or of the wrong shape', async () => {
    await rejectedWith(
      await signPayload(testNotification({ signedDate: undefined }), chain.leaf.privateKey, all),
      'the payload has no signing date (epoch milliseconds) to check the certificates at',
      trusting,
    )
    await rejectedWith(
      await signPayload(testNotification({ notificationUUID: 42 }), chain.leaf.privateKey, all),
      'the payload is not an App Store Server Notification (notificationUUID: Invalid input: expected string, received number)',
      trusting,
    )
    await rejectedWith(
      await signPayload({ ...testNotification(), data: undefined }, chain.leaf.privateKey, all),
      'the payload names no app (no data, summary, externalPurchaseToken or appData)',
      trusting,
    )
  })

  it('requires appAppleId to match in Production', async () => {
    const production = {
      bundleId: 'com.example.app',
      environment: 'Production',
      appAppleId: 1234567890,
      rootCertificates: [chain.root.pem],
    } as const
    const sign = (data: Record<string, unknown>) =>
      signPayload(
        testNotification({}, { environment: 'Production', ...data }),
        chain.leaf.privateKey,
        all,
      )
    await expect(
      verifySignedPayload(await sign({ appAppleId: 1234567890 }), production),
    ).resolves.toBeDefined()
    await rejectedWith(
      await sign({ appAppleId: 987 }),
      'the payload is for app 987, not 1234567890',
      production,
    )
    await rejectedWith(
      await sign({}),
      'the payload has no appAppleId; a Production notification must name app 1234567890',
      production,
    )
  })

  it('reads the app from summary and externalPurchaseToken notifications', async () => {
    const summary = await signPayload(
      {
        ...testNotification({ notificationType: 'RENEWAL_EXTENSION', subtype: 'SUMMARY' }),
        data: undefined,
        summary: { bundleId: 'com.example.app', environment: 'Sandbox' },
      },
      chain.leaf.privateKey,
      all,
    )
    await expect(verifySignedPayload(summary, trusting)).resolves.toMatchObject({
      subtype: 'SUMMARY',
    })
    const token = (id: string) =>
      signPayload(
        {
          ...testNotification({ notificationType: 'EXTERNAL_PURCHASE_TOKEN' }),
          data: undefined,
          externalPurchaseToken: {
            externalPurchaseId: id,
            bundleId: 'com.example.app',
            appAppleId: 5,
          },
        },
        chain.leaf.privateKey,
        all,
      )
    await expect(verifySignedPayload(await token('SANDBOX_1'), trusting)).resolves.toBeDefined()
    await rejectedWith(
      await token('abc'),
      'the payload is for environment "Production" (from its externalPurchaseId), not "Sandbox"',
      trusting,
    )
  })
})

describe('verifier options', () => {
  it('are checked before anything is verified', async () => {
    const error = await rejectionOf(
      verifySignedPayload(APPLE_FIXTURE, {
        bundleId: FIXTURE_BUNDLE_ID,
        environment: 'Production',
      }),
    )
    expect(error.kind).toBe('invalid_input')
    expect(error.message).toBe(
      "Invalid verifySignedPayload options: appAppleId: is required when environment is Production (Production notifications are verified against the app's Apple ID)",
    )
    const unknown = await rejectionOf(
      verifySignedPayload(APPLE_FIXTURE, { ...FIXTURE_OPTIONS, verify: false } as never),
    )
    expect(unknown.message).toBe('Invalid verifySignedPayload options: Unrecognized key: "verify"')
  })

  it('name a root certificate that is not one', () => {
    expect(() =>
      createSignedPayloadVerifier({ ...FIXTURE_OPTIONS, rootCertificates: ['not a certificate'] }),
    ).toThrow(
      'rootCertificates[0]: expected a PEM certificate (a BEGIN CERTIFICATE block) or DER bytes',
    )
    expect(() =>
      createSignedPayloadVerifier({
        ...FIXTURE_OPTIONS,
        rootCertificates: [new Uint8Array([1, 2, 3])],
      }),
    ).toThrow('rootCertificates[0]: is not a valid X.509 certificate')
    const leaf = makeChain().leaf
    expect(() =>
      createSignedPayloadVerifier({ ...FIXTURE_OPTIONS, rootCertificates: [leaf.pem] }),
    ).toThrow('rootCertificates[0]: Test Leaf is not a CA certificate, so it cannot be a root')
    expect(() => createSignedPayloadVerifier({ ...FIXTURE_OPTIONS, rootCertificates: [] })).toThrow(
      'Invalid Apple signed payload verifier options: rootCertificates: expected at least one root certificate',
    )
  })
})
