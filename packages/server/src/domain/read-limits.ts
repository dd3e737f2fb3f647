/** Bounds on what one read request may make the server hold or send. */
export interface ReadLimits {
  /** content bytes one batch read answers with; the paths past it are listed as skipped */
  batchMaxBytes: number
  /** paths one batch read may name */
  batchMaxPaths: number
  /** files one listing may hold */
  listMaxFiles: number
}

export const DEFAULT_READ_LIMITS: ReadLimits = {
  batchMaxBytes: 32 * 1024 * 1024,
  batchMaxPaths: 10_000,
  listMaxFiles: 200_000,
}
