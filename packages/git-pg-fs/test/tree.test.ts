import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { BadObjectError } from '../src/errors.ts'
import { checkTree, parseTree, serializeTree } from '../src/objects/tree.ts'

const oid = 'ab'.repeat(20)
const raw = (...parts: (string | Buffer)[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : p)))
const id = Buffer.from(oid, 'hex')

describe('checkTree', () => {
  it('accepts every tree git writes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gitpg-tree-'))
    try {
      const git = (...args: string[]) =>
        execFileSync('git', args, { cwd: dir, encoding: 'buffer' }).toString()
      git('init', '-q')
      writeFileSync(join(dir, 'a file.txt'), 'a')
      writeFileSync(join(dir, 'é.md'), '')
      writeFileSync(join(dir, 'run.sh'), '#!/bin/sh\n', { mode: 0o755 })
      git('add', '.')
      const tree = git('write-tree').trim()
      const content = execFileSync('git', ['cat-file', 'tree', tree], { cwd: dir })
      expect(() => checkTree(content)).not.toThrow()
      expect(() => checkTree(serializeTree(parseTree(content)))).not.toThrow()
      expect(() => checkTree(Buffer.alloc(0))).not.toThrow()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it.each([
    ['a mode that is not octal', raw('100844 a\0', id)],
    ['a missing mode', raw(' a\0', id)],
    ['a mode that is too long', raw('1006440 a\0', id)],
    ['an empty name', raw('100644 \0', id)],
    ['a truncated id', raw('100644 a\0', id.subarray(0, 19))],
    ['no NUL after the name', raw('100644 a')],
    ['trailing bytes', raw('100644 a\0', id, 'x')],
  ])('rejects %s, as parseTree does or stricter', (_, content) => {
    expect(() => checkTree(content)).toThrow(BadObjectError)
  })
})
