/** The package version, sent in `User-Agent: notiprobe/<version>`. A test keeps it equal to package.json. */
export const VERSION = '0.1.0'
