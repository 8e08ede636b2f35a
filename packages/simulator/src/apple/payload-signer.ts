import { CompactSign } from 'jose'
import type { SigningChain } from './certificate-chain.js'

const encoder = new TextEncoder()

/** Signs JSON payloads the way the App Store does: compact JWS, ES256, the chain in `x5c`. */
export class PayloadSigner {
  readonly #chain: SigningChain

  constructor(chain: SigningChain) {
    this.#chain = chain
  }

  async sign(payload: object): Promise<string> {
    return new CompactSign(encoder.encode(JSON.stringify(payload)))
      .setProtectedHeader({ alg: 'ES256', x5c: [...this.#chain.x5c] })
      .sign(this.#chain.signingKey)
  }
}
