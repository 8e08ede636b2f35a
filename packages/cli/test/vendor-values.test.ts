import { APPLE_ENVIRONMENTS } from '@notiprobe/apple'
import { API_VERSIONS, MEDIUMS } from '@notiprobe/sailpoint'
import { describe, expect, it } from 'vitest'
import { buildProgram } from '../src/program.js'

/**
 * The command tree takes each option's choices from the adapters' dependency-free `values` modules
 * (so `--help` loads no adapter); this pins them to the enums the adapters themselves export, so the
 * CLI never offers what an adapter refuses.
 */
describe('the command line offers exactly what the adapters take', () => {
  const program = buildProgram(() => Promise.resolve(), {
    writeOut: () => undefined,
    writeErr: () => undefined,
    outputError: () => undefined,
  })
  const choices = (path: string, flag: string): readonly string[] | undefined => {
    let command = program
    for (const name of path.split(' ')) {
      const next = command.commands.find((c) => c.name() === name)
      if (next === undefined) throw new Error(`no command ${path}`)
      command = next
    }
    return command.options.find((option) => option.long === flag)?.argChoices
  }

  it('mediums, API versions and environments', () => {
    expect(choices('sailpoint test', '--medium')).toEqual(MEDIUMS)
    expect(choices('sailpoint templates', '--medium')).toEqual(MEDIUMS)
    expect(choices('sailpoint test', '--api-version')).toEqual(API_VERSIONS)
    expect(choices('apple verify', '--environment')).toEqual(APPLE_ENVIRONMENTS)
    expect(choices('listen', '--environment')).toEqual(APPLE_ENVIRONMENTS)
    expect(choices('simulate', '--apple-environment')).toEqual(APPLE_ENVIRONMENTS)
  })
})
