import { describe, expect, it } from 'vitest'
import { checkGitmodules, MAX_GITMODULES_BYTES } from '../src/fsck/check-gitmodules.ts'

const OID = 'a'.repeat(40)

describe('checkGitmodules', () => {
  it('refuses a 50 MB url = -aaa... quickly, with a short message', () => {
    const blob = Buffer.concat([
      Buffer.from('[submodule "x"]\n\turl = -'),
      Buffer.alloc(50 * 1024 * 1024, 'a'),
      Buffer.from('\n[submodule "../y"]\n\turl = ./y\n'),
    ])
    const started = performance.now()
    const problems = checkGitmodules(OID, blob)
    expect(performance.now() - started).toBeLessThan(2000)
    expect(problems.map((p) => p.id)).toEqual(['gitmodulesUrl'])
    expect(problems[0].message).toMatch(
      /^disallowed submodule url: -a{199}\.\.\. \(52428801 bytes\)$/,
    )
  })

  it('reads a long value that is fine and finds a problem after it', () => {
    const blob = Buffer.concat([
      Buffer.from('[submodule "x"]\n\turl = "./'),
      Buffer.alloc(20 * 1024 * 1024, 'b'),
      Buffer.from(' \\" c" # comment\n\tpath = -p\n'),
    ])
    const problems = checkGitmodules(OID, blob)
    expect(problems.map((p) => [p.id, p.message])).toEqual([
      ['gitmodulesPath', 'disallowed submodule path: -p'],
    ])
  })

  it('refuses a .gitmodules over its size limit unread, as gitmodulesLarge', () => {
    const blob = Buffer.alloc(MAX_GITMODULES_BYTES + 1, '#')
    expect(checkGitmodules(OID, blob)).toEqual([
      { oid: OID, type: 'blob', id: 'gitmodulesLarge', message: '.gitmodules too large to parse' },
    ])
    expect(checkGitmodules(OID, blob.subarray(0, MAX_GITMODULES_BYTES))).toEqual([])
  })
})
