import { format, inspect } from 'node:util'

/** Where a planted secret turned up. */
export interface Leak {
  readonly where: string
  /** The first characters of the secret, enough to tell which one. */
  readonly secret: string
  readonly excerpt: string
}

/**
 * Known secret values, and every text the suites produce scanned against them. A PEM key is
 * planted with its base64 body and each of its lines, a JWT with its signature segment, so a
 * partial leak is caught too.
 */
export class LeakScanner {
  readonly #secrets = new Set<string>()
  readonly leaks: Leak[] = []
  /** Texts scanned (each message, stack, inspection, JSON rendering, log line, output stream). */
  scans = 0
  /** Errors whose every rendering was scanned. */
  errors = 0

  get secretCount(): number {
    return this.#secrets.size
  }

  plant(...values: readonly (string | undefined)[]): this {
    for (const value of values) {
      if (value === undefined) continue
      const trimmed = value.trim()
      if (trimmed.length < 8) continue
      this.#secrets.add(trimmed)
      if (trimmed.includes('-----BEGIN')) {
        const body = trimmed.replace(/-----(BEGIN|END)[A-Z ]*-----/g, '')
        this.#secrets.add(body.replace(/\s+/g, ''))
        for (const line of body.split(/\s+/)) if (line.length >= 16) this.#secrets.add(line)
      }
      const segments = trimmed.split('.')
      if (segments.length === 3 && trimmed.startsWith('eyJ')) {
        const signature = segments[2] ?? ''
        if (signature.length >= 16) this.#secrets.add(signature)
      }
    }
    return this
  }

  /** Scans one text; records every secret found in it. */
  scanText(where: string, text: string | undefined): void {
    if (text === undefined) return
    this.scans++
    for (const secret of this.#secrets) {
      const at = text.indexOf(secret)
      if (at !== -1) {
        this.leaks.push({
          where,
          secret: `${secret.slice(0, 12)}…`,
          excerpt: text.slice(Math.max(0, at - 60), at + 20).replace(/\s+/g, ' '),
        })
      }
    }
  }

  /** Every way a program shows an error: message, stack, String, inspect, JSON, the cause chain. */
  scanError(where: string, error: unknown): void {
    this.errors++
    if (error instanceof Error) {
      this.scanText(`${where} message`, error.message)
      this.scanText(`${where} stack`, error.stack)
    }
    this.scanText(
      `${where} String`,
      safe(() => String(error)),
    )
    this.scanText(`${where} inspect`, inspect(error, { depth: 10 }))
    this.scanText(`${where} inspect showHidden`, inspect(error, { depth: 10, showHidden: true }))
    this.scanText(
      `${where} JSON`,
      safe(() => JSON.stringify(error)),
    )
    // What console.log('%o', error) prints: hidden fields and the whole cause chain.
    this.scanText(
      `${where} console %o`,
      safe(() => format('%o', error)),
    )
  }

  /** A value as a program would print or serialise it. */
  scanValue(where: string, value: unknown): void {
    this.scanText(`${where} inspect`, inspect(value, { depth: 10 }))
    this.scanText(
      `${where} JSON`,
      safe(() => JSON.stringify(value)),
    )
  }

  report(): { secretsPlanted: number; errorsScanned: number; textsScanned: number; leaks: number } {
    return {
      secretsPlanted: this.#secrets.size,
      errorsScanned: this.errors,
      textsScanned: this.scans,
      leaks: this.leaks.length,
    }
  }
}

function safe(render: () => string | undefined): string | undefined {
  try {
    return render()
  } catch (error) {
    return `<render failed: ${error instanceof Error ? error.message : 'unknown'}>`
  }
}

/** A logger that keeps every line it is given, fields rendered as JSON. */
export function recordingLogger(): {
  lines: string[]
  logger: { debug(message: string, fields?: Readonly<Record<string, unknown>>): void }
} {
  const lines: string[] = []
  return {
    lines,
    logger: {
      debug: (message, fields) => {
        lines.push(fields === undefined ? message : `${message} ${JSON.stringify(fields)}`)
      },
    },
  }
}
