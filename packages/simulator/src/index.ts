export * from './apple/index.js'
export * from './sailpoint/index.js'
