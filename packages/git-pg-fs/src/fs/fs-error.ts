import { constants } from 'node:os'

export type FsErrorCode =
  'ENOENT' | 'EEXIST' | 'ENOTDIR' | 'EISDIR' | 'ENOTEMPTY' | 'EPERM' | 'EINVAL'

const MESSAGES: Record<FsErrorCode, string> = {
  ENOENT: 'no such file or directory',
  EEXIST: 'file already exists',
  ENOTDIR: 'not a directory',
  EISDIR: 'illegal operation on a directory',
  ENOTEMPTY: 'directory not empty',
  EPERM: 'operation not permitted',
  EINVAL: 'invalid argument',
}

/** An error shaped like Node's own fs errors: isomorphic-git tests `err.code`. */
export interface FsError extends Error {
  code: FsErrorCode
  errno: number
  syscall: string
  path: string
}

/**
 * Builds a Node-style fs error.
 *
 * @example
 * throw fsError('ENOENT', 'open', '/repo.git/refs/heads/nope')
 */
export function fsError(
  code: FsErrorCode,
  syscall: string,
  path: string,
  detail?: string,
): FsError {
  const text = `${code}: ${detail ?? MESSAGES[code]}, ${syscall} '${path}'`
  return Object.assign(new Error(text), {
    code,
    errno: -constants.errno[code],
    syscall,
    path,
  })
}
