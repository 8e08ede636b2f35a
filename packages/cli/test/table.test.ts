import picocolors from 'picocolors'
import { describe, expect, it } from 'vitest'
import { renderRows } from '../src/output/table.js'

const colors = picocolors.createColors(false)
const head = ['vendor', 'check', 'evidence']
const requestId = 'a1b2c3d4-e5f6-4a5b-8c9d-0e1f2a3b4c5d'

describe('tables in CI logs', () => {
  it('a table that fits the width stays a table, every line within it', async () => {
    const text = await renderRows(head, [['apple', 'test', 'delivered']], { colors, columns: 80 })
    expect(text).toContain('│ vendor │ check │ evidence  │')
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(80)
  })

  it('one that would not fit becomes one block per row, values whole', async () => {
    const evidence = `TEST ${requestId}: SUCCESS; verified by the receiver on arrival and in Apple's status`
    const text = await renderRows(
      head,
      [
        ['apple', 'test notification', evidence],
        ['sailpoint', 'test notification', 'accepted'],
      ],
      { colors, columns: 80 },
    )
    expect(text).toBe(
      [
        'apple',
        '  check     test notification',
        `  evidence  ${evidence}`,
        '',
        'sailpoint',
        '  check     test notification',
        '  evidence  accepted',
      ].join('\n'),
    )
  })
})
