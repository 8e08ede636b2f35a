/** The CLI's version, as `--version` prints it. A test keeps it equal to package.json. */
export const VERSION = '0.1.0'
