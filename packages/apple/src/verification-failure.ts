/** One verification check that failed, said in words; the verifier turns it into the public error. */
export class VerificationFailure extends Error {
  constructor(readonly check: string) {
    super(check)
    this.name = 'VerificationFailure'
  }
}
