/** git's whitespace (its own `isspace`): space, tab, newline and carriage return only. */
const TRAILING_SPACE = /[ \t\n\r]+$/

/**
 * A message cleaned up as `git tag -a -m` and `git commit -m` do by default (`git stripspace
 * --strip-comments`): lines starting with `#` dropped, trailing whitespace cut from each line,
 * runs of blank lines made one, blank lines at the start and end dropped, and a final newline
 * unless nothing is left.
 *
 * @example
 * cleanMessage('  \n# note\nRelease 1   \n\n\n\nnotes\n\n') // 'Release 1\n\nnotes\n'
 */
export function cleanMessage(message: string): string {
  let out = ''
  let blanks = 0
  for (const raw of message.split('\n')) {
    if (raw.startsWith('#')) continue
    const line = raw.replace(TRAILING_SPACE, '')
    if (line.length === 0) {
      blanks++
      continue
    }
    if (blanks > 0 && out.length > 0) out += '\n'
    blanks = 0
    out += `${line}\n`
  }
  return out
}
