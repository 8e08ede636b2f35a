import { describe, expect, it } from 'vitest'
import { verifySignedPayload } from '../src/index.js'
import {
  makeCertificate,
  makeChain,
  signPayload,
  testNotification,
  type TestChain,
} from './helpers/certificates.js'

// vendor-facts.md, verifying step 3: trust comes only from the configured roots; x5c[2] is not
// used, so a root re-issued with the same key and name verifies. And the nested JWS a
// notification carries are signed by the same chain and checked as Apple's library checks them.

const chain = makeChain()
const trusting = {
  bundleId: 'com.example.app',
  environment: 'Sandbox',
  rootCertificates: [chain.root.pem],
} as const

function sign(payload: unknown, signer: TestChain = chain): Promise<string> {
  return signPayload(payload, signer.leaf.privateKey, [
    signer.leaf,
    signer.intermediate,
    signer.root,
  ])
}

async function rejectedWith(jws: string, check: string, options = trusting): Promise<void> {
  await expect(verifySignedPayload(jws, options)).rejects.toMatchObject({
    kind: 'verification',
    message: `Signed payload rejected: ${check}.`,
  })
}

describe('trust from the configured roots, not from x5c[2]', () => {
  it('verifies against a root re-issued with the same key and name, whatever x5c[2] holds', async () => {
    const reissued = makeCertificate({
      name: chain.root.name,
      ca: true,
      privateKey: chain.root.privateKey,
      notBefore: new Date('2021-06-01T00:00:00Z'),
    })
    expect(reissued.der.equals(chain.root.der)).toBe(false)
    const jws = await sign(testNotification())
    await expect(
      verifySignedPayload(jws, { ...trusting, rootCertificates: [reissued.pem] }),
    ).resolves.toMatchObject({ notificationType: 'TEST' })
    // x5c[2] is not read at all: another certificate, or one that is not a certificate, changes nothing.
    const other = makeCertificate({ name: 'Someone else', ca: true })
    const withOther = await signPayload(testNotification(), chain.leaf.privateKey, [
      chain.leaf,
      chain.intermediate,
      other,
    ])
    await expect(verifySignedPayload(withOther, trusting)).resolves.toBeDefined()
  })

  it('refuses a chain that carries its own root when that root is not trusted', async () => {
    const stranger = makeChain()
    // The stranger's root is carried in x5c[2], and even named like the trusted one.
    await rejectedWith(
      await sign(testNotification(), stranger),
      'x5c[1] (intermediate) is not issued and signed by a trusted root',
    )
    const impostorRoot = makeCertificate({ name: chain.root.name, ca: true })
    const impostor = makeChain({ root: { name: chain.root.name } })
    const jws = await signPayload(testNotification(), impostor.leaf.privateKey, [
      impostor.leaf,
      impostor.intermediate,
      impostorRoot,
    ])
    await rejectedWith(jws, 'x5c[1] (intermediate) is not issued and signed by a trusted root')
  })

  it('still requires exactly three certificates', async () => {
    const two = await signPayload(testNotification(), chain.leaf.privateKey, [
      chain.leaf,
      chain.intermediate,
    ])
    await rejectedWith(
      two,
      'x5c must hold exactly 3 certificates (leaf, intermediate, root); it holds 2',
    )
  })
})

describe('nested JWS', () => {
  const signedDate = Date.parse('2030-01-01T00:00:00Z')
  const transaction = {
    transactionId: '1',
    bundleId: 'com.example.app',
    environment: 'Sandbox',
    signedDate,
  }
  const renewal = { originalTransactionId: '1', environment: 'Sandbox', signedDate }
  const appTransaction = {
    receiptType: 'Sandbox',
    bundleId: 'com.example.app',
    appAppleId: 5,
    receiptCreationDate: signedDate,
  }

  async function notificationWith(data: Record<string, unknown>): Promise<string> {
    return sign(testNotification({ notificationType: 'DID_RENEW' }, data))
  }

  it('are verified and decoded beside the raw strings', async () => {
    const signedTransactionInfo = await sign(transaction)
    const signedRenewalInfo = await sign(renewal)
    const n = await verifySignedPayload(
      await notificationWith({ signedTransactionInfo, signedRenewalInfo }),
      trusting,
    )
    expect(n.data).toMatchObject({
      signedTransactionInfo,
      signedRenewalInfo,
      transactionInfo: transaction,
      renewalInfo: renewal,
    })
  })

  it('reject the whole notification when one of them does not verify', async () => {
    const stranger = makeChain()
    await rejectedWith(
      await notificationWith({ signedTransactionInfo: await sign(transaction, stranger) }),
      'data.signedTransactionInfo: x5c[1] (intermediate) is not issued and signed by a trusted root',
    )
    const [h, , s] = (await sign(renewal)).split('.')
    const edited = Buffer.from(JSON.stringify({ ...renewal, environment: 'Sandbox ' })).toString(
      'base64url',
    )
    await rejectedWith(
      await notificationWith({ signedRenewalInfo: [h, edited, s].join('.') }),
      "data.signedRenewalInfo: the signature does not verify with the leaf certificate's key",
    )
  })

  it('are held to the app and environment as Apple’s library holds each kind', async () => {
    await rejectedWith(
      await notificationWith({
        signedTransactionInfo: await sign({ ...transaction, bundleId: 'com.other' }),
      }),
      'data.signedTransactionInfo: its bundleId is "com.other", not "com.example.app"',
    )
    await rejectedWith(
      await notificationWith({
        signedRenewalInfo: await sign({ ...renewal, environment: 'Production' }),
      }),
      'data.signedRenewalInfo: its environment is "Production", not "Sandbox"',
    )
    const rescind = async (info: Record<string, unknown>): Promise<string> =>
      sign({
        ...testNotification({ notificationType: 'RESCIND_CONSENT', data: undefined }),
        appData: {
          bundleId: 'com.example.app',
          environment: 'Sandbox',
          appAppleId: 5,
          signedAppTransactionInfo: await sign(info),
        },
      })
    const ok = await verifySignedPayload(await rescind(appTransaction), trusting)
    expect(ok.appData?.appTransactionInfo).toEqual(appTransaction)
    await rejectedWith(
      await rescind({ ...appTransaction, receiptType: 'Production' }),
      'appData.signedAppTransactionInfo: its receiptType is "Production", not "Sandbox"',
    )
  })

  it('a decoded field of the same name in the payload is never passed off as verified', async () => {
    const n = await verifySignedPayload(
      await notificationWith({ transactionInfo: { productId: 'unsigned' } }),
      trusting,
    )
    expect(n.data).not.toHaveProperty('transactionInfo')
  })
})

describe('numbers out of range', () => {
  it('refuse a signedDate no Date can hold, before any certificate is read', async () => {
    await rejectedWith(
      await sign(testNotification({ signedDate: 1e20 })),
      'the payload has no signing date (epoch milliseconds) to check the certificates at',
    )
  })

  it('refuse an appAppleId beyond 2^53', async () => {
    await expect(
      verifySignedPayload(await sign(testNotification({}, { appAppleId: 2 ** 60 })), trusting),
    ).rejects.toMatchObject({
      kind: 'verification',
      message: expect.stringContaining('data.appAppleId') as string,
    })
  })
})
