import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs'
import { dirname, join, relative, sep } from 'node:path'
import type { Row } from '../report.js'
import { summarize } from '../stats.js'
import { REPO_ROOT } from '../settings.js'
import { MB } from './rotation.js'

interface Manifest {
  name: string
  version: string
  files?: string[]
  dependencies?: Record<string, string>
  optionalDependencies?: Record<string, string>
  peerDependencies?: Record<string, string>
  peerDependenciesMeta?: Record<string, { optional?: boolean }>
}

export interface InstalledPackage {
  readonly id: string
  readonly bytes: number
  readonly files: number
}

export interface Closure {
  readonly packages: readonly InstalledPackage[]
  readonly bytes: number
  readonly files: number
}

const WORKSPACE = join(REPO_ROOT, 'packages') + sep

function manifestOf(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest
}

/** Node's lookup: `node_modules/<name>` in the package's real directory or any ancestor. */
function resolveFrom(dir: string, name: string): string | undefined {
  for (let current = dir; ; current = dirname(current)) {
    const candidate = join(current, 'node_modules', name)
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate)
    if (dirname(current) === current) return undefined
  }
}

/** Every file under `path`, nested `node_modules` excluded (those are other packages). */
function tally(
  path: string,
  into: { bytes: number; files: number },
  skip: (p: string) => boolean,
): void {
  const stat = lstatSync(path)
  if (stat.isSymbolicLink() || skip(path)) return
  if (stat.isDirectory()) {
    for (const entry of readdirSync(path)) {
      if (entry !== 'node_modules') tally(join(path, entry), into, skip)
    }
  } else if (stat.isFile()) {
    into.bytes += stat.size
    into.files += 1
  }
}

/**
 * What a registry install of a workspace package would hold: its `files` entries (minus the `!`
 * ones and build info), package.json, README and LICENSE, as npm packs them.
 */
function publishedSize(dir: string, manifest: Manifest): { bytes: number; files: number } {
  const into = { bytes: 0, files: 0 }
  const excluded = (manifest.files ?? [])
    .filter((f) => f.startsWith('!'))
    .map((f) => join(dir, f.slice(1)))
  const skip = (p: string): boolean => excluded.includes(p) || p.endsWith('.tsbuildinfo')
  const included = (manifest.files ?? ['.']).filter((f) => !f.startsWith('!'))
  for (const entry of included) {
    const path = join(dir, entry)
    if (existsSync(path)) tally(path, into, skip)
  }
  for (const entry of readdirSync(dir)) {
    if (
      /^(package\.json|readme|license|licence)/i.test(entry) &&
      statSync(join(dir, entry)).isFile()
    ) {
      if (!included.some((f) => relative(f, entry) === '')) tally(join(dir, entry), into, skip)
    }
  }
  return into
}

/**
 * The installed dependency closure of an app depending on `roots`: each package once (by name and
 * version), following dependencies, installed optional dependencies and required peers, measured
 * as files on disk (apparent size). Resolved from the pnpm store this workspace installed.
 */
export function closureOf(roots: readonly string[]): Closure {
  // By name: a standalone install holds one copy of a package whenever the ranges allow it (pnpm
  // here may have resolved a second version for the workspace's sake). Breadth-first, so the copy
  // kept is the one nearest the app.
  const seen = new Map<string, InstalledPackage>()
  const queue = roots.map((name) => {
    const dir = resolveFrom(join(REPO_ROOT, 'test/bench'), name)
    if (dir === undefined) throw new Error(`cannot resolve ${name} from test/bench`)
    return dir
  })
  const visited = new Set<string>()
  while (queue.length > 0) {
    const dir = queue.shift()!
    if (visited.has(dir)) continue
    visited.add(dir)
    const manifest = manifestOf(dir)
    const id = `${manifest.name}@${manifest.version}`
    if (seen.has(manifest.name)) continue
    {
      const size = dir.startsWith(WORKSPACE)
        ? publishedSize(dir, manifest)
        : (() => {
            const into = { bytes: 0, files: 0 }
            tally(dir, into, () => false)
            return into
          })()
      seen.set(manifest.name, { id, ...size })
    }
    const optionalPeers = manifest.peerDependenciesMeta ?? {}
    const names = [
      ...Object.keys(manifest.dependencies ?? {}),
      ...Object.keys(manifest.optionalDependencies ?? {}),
      ...Object.keys(manifest.peerDependencies ?? {}).filter(
        (n) => optionalPeers[n]?.optional !== true,
      ),
    ]
    for (const name of names) {
      const found = resolveFrom(dir, name)
      if (found !== undefined) queue.push(found)
      else if (!(name in (manifest.optionalDependencies ?? {}))) {
        throw new Error(`${id}: dependency ${name} is not installed`)
      }
    }
  }
  const packages = [...seen.values()].sort((a, b) => b.bytes - a.bytes)
  return {
    packages,
    bytes: packages.reduce((sum, p) => sum + p.bytes, 0),
    files: packages.reduce((sum, p) => sum + p.files, 0),
  }
}

const APPS = {
  apple: { notiprobe: ['@notiprobe/apple'], sdk: ['@apple/app-store-server-library'] },
  sailpoint: { notiprobe: ['@notiprobe/sailpoint'], sdk: ['sailpoint-api-client'] },
} as const

export interface SizeReport {
  readonly rows: Row[]
  readonly closures: Record<string, Closure>
}

export function installedSize(): SizeReport {
  const rows: Row[] = []
  const closures: Record<string, Closure> = {}
  for (const [vendor, apps] of Object.entries(APPS)) {
    const np = closureOf(apps.notiprobe)
    const sdk = closureOf(apps.sdk)
    closures[`${vendor} notiprobe`] = np
    closures[`${vendor} sdk`] = sdk
    const one = (value: number) => summarize([value])
    const name = vendor === 'apple' ? 'Apple' : 'SailPoint'
    rows.push({
      section: 'Installed size',
      label: `${name}: an app's dependency closure (${String(np.packages.length)} vs ${String(sdk.packages.length)} packages)`,
      unit: 'MiB on disk',
      digits: 2,
      values: { notiprobe: one(np.bytes / MB), sdk: one(sdk.bytes / MB) },
      vsSdk: one(np.bytes / sdk.bytes),
      target: 'info',
    })
  }
  return { rows, closures }
}
