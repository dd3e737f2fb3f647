import { GitPgError } from '../errors.ts'

/** Bounds on the work of one blame, whatever the file and its history. */
export interface BlameLimits {
  /** versions of the file compared with their parents; past it, `BLAME_TOO_COSTLY` */
  maxCommits: number
  /** largest version of the file read, in bytes; past it, `BLAME_TOO_LARGE` */
  maxBytes: number
  /** steps of the line diff over the whole blame; past it, `BLAME_TOO_COSTLY` */
  maxSteps: number
}

export const DEFAULT_BLAME_LIMITS: BlameLimits = {
  maxCommits: 20_000,
  maxBytes: 8 * 1024 * 1024,
  maxSteps: 200_000_000,
}

export function tooCostly(what: string, limit: number, setting: string): GitPgError {
  return new GitPgError('BLAME_TOO_COSTLY', `the blame needs more than ${limit} ${what}`, {
    limit,
    setting,
  })
}

export function tooLarge(path: string, size: number, limit: number): GitPgError {
  return new GitPgError(
    'BLAME_TOO_LARGE',
    `a version of ${path} has ${size} bytes, more than the ${limit} a blame reads`,
    { path, size, limit, setting: 'GITPG_BLAME_MAX_BYTES' },
  )
}
