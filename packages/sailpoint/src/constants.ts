import { defineOperations } from '@notiprobe/core/adapter'
import type { SailPointApiVersion } from './values.js'

/** Names shared by every file of the adapter: the vendor, its operations, its API versions. */

export const VENDOR = 'sailpoint'

/** Every SailPoint operation: its name in errors and logs, and the words its messages start with. */
export const SAILPOINT_OPERATIONS = defineOperations(VENDOR, {
  configure: 'Configuring the SailPoint tester',
  fetchAccessToken: 'Fetching a SailPoint access token',
  sendTestNotification: 'Sending the SailPoint test notification',
  check: 'Checking the SailPoint test notification',
  listTemplates: 'Listing SailPoint notification templates',
  checkTemplate: 'Checking the SailPoint notification template',
  templateVariables: 'Reading the variables of a SailPoint notification template',
})

export type SailPointOperationKey = keyof typeof SAILPOINT_OPERATIONS

export { API_VERSIONS, MEDIUMS, type SailPointApiVersion, type SailPointMedium } from './values.js'

/**
 * The scope each endpoint needs, by version, named in 403 hints. The two template lists have a
 * read scope each, on both versions.
 */
export const REQUIRED_SCOPES: Readonly<
  Record<
    'sendTest' | 'templates' | 'templateDefaults' | 'templateVariables',
    Readonly<Record<SailPointApiVersion, string>>
  >
> = {
  sendTest: { beta: 'sp:scopes:all', v1: 'idn:notification-templates:create' },
  templates: { beta: 'idn:notification-templates:read', v1: 'idn:notification-templates:read' },
  templateDefaults: {
    beta: 'idn:notification-template-defaults:read',
    v1: 'idn:notification-template-defaults:read',
  },
  // Read like the customised list: SailPoint's reference names no scope of its own for it.
  templateVariables: {
    beta: 'idn:notification-templates:read',
    v1: 'idn:notification-templates:read',
  },
}

/** The request path of each endpoint, by version. */
export const PATHS: Readonly<
  Record<
    SailPointApiVersion,
    {
      readonly sendTest: string
      /** The templates the tenant has customised (only those). */
      readonly templates: string
      /** The default templates every tenant has. */
      readonly templateDefaults: string
    }
  >
> = {
  beta: {
    sendTest: '/beta/send-test-notification',
    templates: '/beta/notification-templates',
    templateDefaults: '/beta/notification-template-defaults',
  },
  v1: {
    sendTest: '/send-test-notification/v1',
    templates: '/notification-templates/v1',
    templateDefaults: '/notification-template-defaults/v1',
  },
}
