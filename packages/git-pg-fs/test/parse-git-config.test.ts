import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { ConfigParseError, parseGitConfig } from '../src/fsck/parse-git-config.ts'

/** What `git config --list` reads from `text`: `key=value` lines (bare keys without `=`). */
function gitReads(text: string): string[] | null {
  const r = spawnSync('git', ['config', '--file', '-', '--list', '-z'], {
    input: text,
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
  })
  if (r.status !== 0) return null
  return r.stdout
    .toString()
    .split('\0')
    .filter((e) => e !== '')
    .map((e) => (e.includes('\n') ? e.replace('\n', '=') : e))
}

function gitpgReads(text: string): string[] | null {
  try {
    return [...parseGitConfig(text)].map((e) => {
      const key = [e.section, e.subsection, e.key].filter((p) => p !== null && p !== '').join('.')
      return e.value === null ? key : `${key}=${e.value}`
    })
  } catch (err) {
    if (err instanceof ConfigParseError) return null
    throw err
  }
}

describe('parseGitConfig', () => {
  it.each([
    ['sections and keys', '[submodule "lib"]\n\tpath = lib\n\turl = https://x/lib.git\n'],
    ['case', '[SubModule "Lib"]\n\tURL = x\n'],
    ['the old dotted section', '[submodule.Lib]\n\turl = x\n'],
    ['escapes in a subsection', '[submodule "a\\"b\\\\c"]\n\turl = x\n'],
    ['quotes, escapes and comments', '[s "x"]\n\tk = " a ;b" c \\t # comment\n\tl = 1 ; c\n'],
    ['a continuation', '[s "x"]\n\tk = a\\\n b\n'],
    ['a bare key', '[s "x"]\n\tflag\n\tother = 1\n'],
    ['spaces around =', '[s "x"]\n  k=v  \n'],
    ['a BOM and CRLF', '\ufeff[s "x"]\r\n\tk = v\r\n'],
    ['an empty value', '[s "x"]\n\tk =\n'],
    ['a bad escape', '[s "x"]\n\tk = a\\q\n'],
    ['an unterminated quote', '[s "x"]\n\tk = "a\n'],
    ['a key outside a section', 'k = v\n'],
    ['a bad section header', '[s "x\n'],
    ['a dotted old section', '[submodule.A.b]\n\turl = x\n'],
    ['a key on the header line', '  [submodule "x"] url = y\n'],
    ['a quoted newline escape', '[s "x"]\n\tk = "a\\nb"\n'],
    ['a key starting with a digit', '[s "x"]\n\t1k = v\n'],
    ['spaces before a continuation', '[s "x"]\n\tk = a  \\\n  b  \n'],
    ['spaces between quoted parts', '[s "x"]\n\tk = "a " b  "c"  # x\n\tl = x;y\n'],
    ['a value at the end without a newline', '[s "x"]\n\tk = a b  '],
    ['a subsection escape and non-ASCII', '[s "\\q\u00e9"]\n\tk = caf\u00e9\\t\n'],
  ])('reads %s as git does', (_, text) => {
    expect(gitpgReads(text)).toEqual(gitReads(text))
  })
})
