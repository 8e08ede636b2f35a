#!/usr/bin/env node
// The `notiprobe` command: a file kept in git rather than tsc's output, so that installing a fresh
// clone can link the command before anything is built (pnpm warns of a bin it cannot find).
import '../dist/bin.js'
