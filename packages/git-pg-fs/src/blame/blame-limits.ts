import { GitPgError } from '../errors.ts'

/** Bounds on the work of one blame, whatever the file and its history. */
export interface BlameLimits {
  /** versions of the file compared with their parents; past it, `BLAME_TOO_COSTLY` */
  maxCommits: number
  /** largest version of the file read, in bytes; past it, `BLAME_TOO_LARGE` */
  maxBytes: number
  /** most lines a version of the file may have (the diff holds each line); past it, `BLAME_TOO_LARGE` */
  maxLines: number
  /** steps of the line diff over the whole blame; past it, `BLAME_TOO_COSTLY` */
  maxSteps: number
}

export const DEFAULT_BLAME_LIMITS: BlameLimits = {
  maxCommits: 20_000,
  maxBytes: 8 * 1024 * 1024,
  maxLines: 100_000,
  maxSteps: 100_000_000,
}

export function tooCostly(what: string, limit: number, setting: string): GitPgError {
  return new GitPgError('BLAME_TOO_COSTLY', `the blame needs more than ${limit} ${what}`, {
    limit,
    setting,
  })
}

export function tooLarge({
  path,
  size,
  limit,
  unit,
}: {
  path: string
  size: number
  limit: number
  unit: 'bytes' | 'lines'
}): GitPgError {
  return new GitPgError(
    'BLAME_TOO_LARGE',
    `a version of ${path} has ${size} ${unit}, more than the ${limit} a blame reads`,
    {
      path,
      size,
      limit,
      setting: unit === 'bytes' ? 'GITPG_BLAME_MAX_BYTES' : 'GITPG_BLAME_MAX_LINES',
    },
  )
}
