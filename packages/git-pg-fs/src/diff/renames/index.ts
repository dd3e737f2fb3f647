export * from './detect-renames.ts'
export * from './similarity.ts'
export * from './span-counts.ts'
export * from './reader-blobs.ts'
