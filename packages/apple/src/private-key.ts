import { KeyObject, createPrivateKey } from 'node:crypto'
import { NotificationTestError } from '@notiprobe/core'
import { registerSecret } from '@notiprobe/core/adapter'
import { LocalFileRefused, readLocalFile } from './local-file.js'

/** A `.p8` file is a few hundred bytes; anything much larger is not one. */
const MAX_KEY_FILE_BYTES = 64 * 1024
/** The base64 body of a P-256 PKCS#8 key is about 200 characters. */
const MIN_BARE_BASE64_LENGTH = 100

export interface PrivateKeyContext {
  /** The option or variable the key came from, named in errors: `privateKey`, `APPLE_PRIVATE_KEY_FILE`. */
  readonly field: string
  readonly operation: string
  /** `file`: the input is a path, whatever it looks like (`APPLE_PRIVATE_KEY_FILE`). */
  readonly source?: 'auto' | 'file' | undefined
}

/**
 * Parses an App Store Connect In-App Purchase key once: PEM text (also with literal `\n` escapes, as
 * environment variables often hold it), its bare base64 body, the path of its `.p8` file, or a
 * `KeyObject` already loaded. The key text is registered as a secret before anything else, and no
 * error ever quotes it.
 */
export function loadPrivateKey(input: string | KeyObject, context: PrivateKeyContext): KeyObject {
  const fail = (why: string): never => {
    throw new NotificationTestError({
      vendor: 'apple',
      operation: context.operation,
      kind: 'config',
      message: `${context.field}: ${why}`,
    })
  }
  if (input instanceof KeyObject) {
    if (input.type !== 'private')
      return fail('expected a private key, got a public or secret KeyObject.')
    return checkCurve(input, fail)
  }
  const trimmed = input.trim()
  let pem: string
  if (context.source === 'file') {
    if (trimmed.includes('-----BEGIN') || looksLikeBareBase64(trimmed)) {
      protect(trimmed)
      return fail(
        'expected the path of the .p8 file, but it holds key text; pass the key text as the key itself instead.',
      )
    }
    pem = readKeyFile(trimmed, fail, true)
  } else if (trimmed.includes('-----BEGIN')) {
    protect(trimmed)
    pem = repairPem(trimmed)
  } else if (looksLikeBareBase64(trimmed)) {
    protect(trimmed)
    pem = armor(trimmed)
  } else {
    pem = readKeyFile(trimmed, fail, false)
  }
  let key: KeyObject
  try {
    key = createPrivateKey({ key: pem, format: 'pem' })
  } catch {
    return fail(
      'not a readable private key; expected the unencrypted PKCS#8 PEM content of an AuthKey_<keyId>.p8 file (a BEGIN PRIVATE KEY block).',
    )
  }
  return checkCurve(key, fail)
}

function checkCurve(key: KeyObject, fail: (why: string) => never): KeyObject {
  const curve = key.asymmetricKeyDetails?.namedCurve
  if (key.asymmetricKeyType !== 'ec' || curve !== 'prime256v1') {
    const got =
      key.asymmetricKeyType === 'ec'
        ? `an EC key on ${String(curve)}`
        : `a ${String(key.asymmetricKeyType)} key`
    return fail(`expected a P-256 (ES256) key, as App Store Connect issues; got ${got}.`)
  }
  return key
}

function readKeyFile(path: string, fail: (why: string) => never, isPath: boolean): string {
  // Only echo what is plainly a path; anything else might be a mangled key.
  const pathLike = /^[\w./\\:~ -]{1,512}$/.test(path)
  const shown =
    pathLike && (isPath || /[/\\]|\.p8$|\.pem$/i.test(path)) ? ` ${path}` : isPath ? ' given' : ''
  if (path === '') return fail('is empty; expected the path of the .p8 file.')
  if (shown === '') {
    return fail('neither a PEM private key (a BEGIN PRIVATE KEY block) nor the path of a .p8 file.')
  }
  let text: string
  try {
    text = readLocalFile(path, MAX_KEY_FILE_BYTES).trim()
  } catch (error) {
    if (error instanceof NotificationTestError) throw error
    if (error instanceof LocalFileRefused) {
      return fail(
        error.problem === 'too large'
          ? `the file${shown} is ${error.sizeBytes === undefined ? `larger than ${MAX_KEY_FILE_BYTES / 1024} KiB` : `${error.sizeBytes} bytes`}, too large for a .p8 key.`
          : `the file${shown} is not a regular file (a pipe or a device); give the path of the .p8 file.`,
      )
    }
    const code = (error as { code?: unknown }).code
    return fail(
      `cannot read the key file${shown} (${typeof code === 'string' ? code : 'unreadable'}).`,
    )
  }
  protect(text)
  if (!text.includes('-----BEGIN')) return fail(`the file${shown} holds no PEM private key.`)
  return text
}

/**
 * PEM text as environment variables and CI secrets mangle it, made whole again: literal `\n`
 * escapes, or the whole key on one line with spaces where the line breaks were (what a copy into a
 * single-line field leaves). The base64 between the armor lines is re-wrapped at 64 characters.
 */
function repairPem(text: string): string {
  const unescaped = text.replace(/(?:\\r)?\\n/g, '\n')
  const begin = unescaped.indexOf('-----BEGIN ')
  const headerEnd = begin === -1 ? -1 : unescaped.indexOf('-----', begin + 11)
  const end = headerEnd === -1 ? -1 : unescaped.indexOf('-----END ', headerEnd + 5)
  const footerEnd = end === -1 ? -1 : unescaped.indexOf('-----', end + 9)
  if (footerEnd === -1) return unescaped
  const header = unescaped.slice(begin, headerEnd + 5)
  const footer = unescaped.slice(end, footerEnd + 5)
  const body = unescaped.slice(headerEnd + 5, end).replace(/\s+/g, '')
  // An encrypted key's headers (Proc-Type: ...) cannot be rebuilt: leave it for the parser to refuse.
  if (body.includes(':')) return unescaped
  return `${header}\n${body.replace(/(.{64})/g, '$1\n').trim()}\n${footer}\n`
}

function looksLikeBareBase64(text: string): boolean {
  const compact = text.replace(/\s+/g, '')
  return compact.length >= MIN_BARE_BASE64_LENGTH && /^[A-Za-z0-9+/]+={0,2}$/.test(compact)
}

function armor(base64: string): string {
  const body = base64
    .replace(/\s+/g, '')
    .replace(/(.{64})/g, '$1\n')
    .trim()
  return `-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----\n`
}

/** Registers the key text and its bare base64 body, so that redaction finds either anywhere. */
function protect(text: string): void {
  registerSecret(text)
  const body = text
    .replace(/-----(BEGIN|END)[A-Z ]*-----/g, '')
    .replace(/(?:\\r)?\\n/g, '')
    .replace(/\s+/g, '')
  registerSecret(body)
}
