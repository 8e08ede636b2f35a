#!/usr/bin/env node
// Kept tiny: everything a command needs is loaded by that command.
import { main } from './main.js'

process.exitCode = await main(process.argv.slice(2))
