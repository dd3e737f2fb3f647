import { describe, expect, it } from 'vitest'
import { overlayPending } from '../src/domain/pending-overlay.ts'
import type { PendingChange } from '../src/store/pending-store.ts'

const file = (path: string, mode = '100644') => ({ path, oid: `old-${path}`, mode })
const write = (path: string): PendingChange => ({
  path,
  action: 'created',
  oid: `new-${path}`,
  size: path.length,
  version: '1',
  updatedAt: new Date(0),
})
const remove = (path: string): PendingChange => ({ ...write(path), action: 'deleted', oid: null })
const shown = (entries: { path: string; oid: string; mode: string }[]) =>
  entries.map((e) => `${e.mode} ${e.oid} ${e.path}`)

describe('overlayPending', () => {
  it('adds, replaces (keeping an executable, a symlink; a submodule becomes a file) and deletes', () => {
    const committed = [
      file('a.sh', '100755'),
      file('b'),
      file('link', '120000'),
      file('sub', '160000'),
      file('z'),
    ]
    const rows = [write('a.sh'), remove('b'), write('link'), write('sub'), write('new/x')]
    expect(shown(overlayPending(committed, rows))).toEqual([
      '100755 new-a.sh a.sh',
      '120000 new-link link',
      '100644 new-new/x new/x',
      '100644 new-sub sub',
      '100644 old-z z',
    ])
  })

  it('lets the pending version win over a branch that moved: files on its way or under it', () => {
    const committed = [file('a'), file('d/x'), file('d/y/z'), file('e')]
    const rows = [write('a/b'), write('d')]
    expect(shown(overlayPending(committed, rows))).toEqual([
      '100644 new-a/b a/b',
      '100644 new-d d',
      '100644 old-e e',
    ])
  })

  it('keeps the shallower of two pending writes where one is on the way of the other', () => {
    expect(shown(overlayPending([], [write('p/q/r'), write('p'), write('p/s')]))).toEqual([
      '100644 new-p p',
    ])
  })

  it('orders by bytes: a name that is not UTF-8 before a higher code point', () => {
    const paths = overlayPending([file('z\uf000')], [write('z\udce8'), write('z!')]).map(
      (e) => e.path,
    )
    expect(paths).toEqual(['z!', 'z\udce8', 'z\uf000'])
  })
})
