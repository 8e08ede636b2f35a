#!/usr/bin/env bash
# Proves the packages install and work outside the workspace, as a user would get them from npm:
# packs every package with pnpm (workspace ranges become versions), installs @notiprobe/cli and
# @notiprobe/apple from the tarballs into a fresh npm project in a temporary directory, runs
# `npx notiprobe demo`, and compiles and runs a TypeScript program importing one adapter under
# moduleResolution node16 and bundler. Needs only Node, npm, pnpm and the npm registry.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/notiprobe-clean-install.XXXXXX")"
trap 'rm -rf "$work"' EXIT
tarballs="$work/tarballs"
project="$work/project"
mkdir -p "$tarballs" "$project"

echo "packing into $tarballs"
(cd "$root" && pnpm -r --filter './packages/*' pack --pack-destination "$tarballs" >/dev/null)

# Every @notiprobe package resolves to its tarball, however deep the dependency that asks for it.
node "$root/test/clean-install/write-project.mjs" "$tarballs" "$project"
cp "$root"/test/clean-install/fixture/* "$project/"

cd "$project"
echo "npm install in $project"
npm install --no-audit --no-fund --loglevel=error

echo "npx notiprobe --version / demo --json"
npx --no-install notiprobe --version
npx --no-install notiprobe demo --json >demo.json
node -e '
  const report = JSON.parse(require("node:fs").readFileSync("demo.json", "utf8"))
  const checks = Array.isArray(report.results) ? report.results : []
  if (checks.length === 0) throw new Error("demo --json listed no checks")
  const failed = checks.filter((check) => check.ok !== true)
  if (report.ok !== true || failed.length > 0) throw new Error(`demo failed: ${JSON.stringify(failed)}`)
  console.log(`demo: all ${checks.length} checks passed`)
'

echo "the published JSON Schemas resolve from the installed package"
node --input-type=module -e '
  const config = (await import("@notiprobe/cli/schemas/config.json", { with: { type: "json" } })).default
  const report = (await import("@notiprobe/cli/schemas/check-report.json", { with: { type: "json" } })).default
  if (config.properties?.$schema === undefined || report.properties?.results === undefined)
    throw new Error("the published schemas lack what they describe")
  console.log("schemas: config.json and check-report.json found")
'

for resolution in node16 bundler; do
  echo "tsc with moduleResolution $resolution"
  npx --no-install tsc -p "tsconfig.$resolution.json"
done
echo "running the node16 build"
node out-node16/program.js

# Only @notiprobe/apple (and core, which it names as a peer): no CLI or simulator to bring zod
# along, so core's own dependencies must carry what its type declarations import.
alone="$work/adapter-only"
mkdir -p "$alone"
cp "$root"/test/clean-install/adapter-only/* "$alone/"
node -e '
  const [tarballs, alone] = process.argv.slice(1)
  const files = require("node:fs").readdirSync(tarballs)
  const tarball = (name) => `file:${tarballs}/${files.find((f) => f.startsWith(`notiprobe-${name}-`))}`
  const pkg = {
    name: "notiprobe-adapter-only",
    private: true,
    type: "module",
    dependencies: { "@notiprobe/apple": tarball("apple"), "@notiprobe/core": tarball("core") },
    devDependencies: { typescript: "~6.0.3", "@types/node": "^20.19.0" },
  }
  require("node:fs").writeFileSync(`${alone}/package.json`, JSON.stringify(pkg, null, 2))
' "$tarballs" "$alone"
cd "$alone"
echo "npm install in $alone (one adapter only)"
npm install --no-audit --no-fund --loglevel=error
npx --no-install tsc -p tsconfig.json
node out/program.js
echo "clean install: OK"
