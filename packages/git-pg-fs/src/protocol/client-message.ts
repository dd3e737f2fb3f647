import { GitPgError } from '../errors.ts'

/** What a git client is told of an error that was not expected (its detail is logged instead). */
export const INTERNAL_ERROR = 'internal error'

const MAX_LENGTH = 300

/**
 * The one line a git client is shown for `err`: the message of one of gitpg's own errors (first
 * line, printable characters, shortened), and `internal error` for anything else (a database or
 * runtime error, whose text would show internals).
 *
 * @example
 * clientMessage(new RangeError('Invalid string length')) // 'internal error'
 */
export function clientMessage(err: unknown): string {
  if (!(err instanceof GitPgError)) return INTERNAL_ERROR
  // eslint-disable-next-line no-control-regex
  const line = err.message.split('\n')[0].replace(/[\x00-\x1f\x7f]/g, '?')
  return line.length > MAX_LENGTH ? `${line.slice(0, MAX_LENGTH)}...` : line
}
