import { z } from 'zod'
import type { GitHubTarget } from '../target.js'
import { createFloorClient } from './github-floor.js'
import type { GitHubBenchClient } from './types.js'

const id = z.number().int().min(1)
const dateTime = z.iso.datetime({ offset: true })

/**
 * GitHub's `hook-delivery-item`, checked as notiprobe checks it (types, lengths, ranges, ISO
 * dates), with zod's classic API used bare. It leaves out what zod cannot do alone: ids past 2^53
 * kept exact, and dates between 2008 and 2200.
 */
const deliveriesPage = z
  .array(
    z.looseObject({
      id,
      guid: z.string().max(100),
      delivered_at: dateTime,
      redelivery: z.boolean(),
      duration: z.number().min(0).max(86_400),
      status: z.string().max(1000),
      status_code: z.number().int().min(0).max(999),
      event: z.string().max(100),
      action: z.string().max(100).nullable(),
      installation_id: id.nullable(),
      repository_id: id.nullable(),
      throttled_at: dateTime.nullable().optional(),
    }),
  )
  .max(100)

/**
 * The named-dependency floor (github-floor.ts) that also validates each page of the deliveries log
 * with zod: the least any client of the named dependencies pays to check what GitHub sent, and so
 * the floor for notiprobe's deliveries page, which must check it (issue 13: no check is skipped).
 */
export function createGitHubClient(target: GitHubTarget): GitHubBenchClient {
  return createFloorClient(target, (body) => deliveriesPage.parse(JSON.parse(body)))
}
