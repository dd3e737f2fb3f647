import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { cleanMessage } from '../src/domain/clean-message.ts'

const stripspace = (text: string) =>
  execFileSync('git', ['stripspace', '--strip-comments'], { input: text }).toString('utf8')

describe('cleanMessage', () => {
  it('cleans a message as git stripspace --strip-comments does', () => {
    const cases = [
      '',
      '\n\n\n',
      'one line',
      'one line\n',
      '  \n\n#comment\nline one   \n\n\n  indented\n\n',
      '# only a comment\n',
      ' #not a comment\n',
      'a\r\nb\r\n\r\n\r\nc\t \n',
      'tabs\t\t\n\n\n\nand\u00a0unicode\u00a0\n',
      '#\n#\nbody\n#\n\ntrailer: x\n\n\n',
      'no newline at the end   ',
      '\v\fx\v\f\n',
    ]
    for (const text of cases)
      expect(cleanMessage(text), JSON.stringify(text)).toBe(stripspace(text))
  })
})
