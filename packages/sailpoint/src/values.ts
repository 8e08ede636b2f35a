/**
 * The values SailPoint's settings take, with no dependency at all, so that a command line can
 * offer them as choices without loading the adapter (`@notiprobe/sailpoint/values`).
 */

/** The path versions notiprobe speaks: `beta` (until about Q1 2027) and its per-service successor. */
export const API_VERSIONS = ['beta', 'v1'] as const
export type SailPointApiVersion = (typeof API_VERSIONS)[number]

/** The mediums SailPoint can send a test notification through. */
export const MEDIUMS = ['EMAIL', 'SLACK', 'TEAMS'] as const
export type SailPointMedium = (typeof MEDIUMS)[number]
