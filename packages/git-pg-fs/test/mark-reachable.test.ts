import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeObject } from '../src/objects/git-object.ts'
import { markReachable } from '../src/maintenance/mark-reachable.ts'
import type { PostgresStore } from '../src/store/postgres/postgres-store.ts'
import { gitOutput, lines } from '../../../test/support/git-cli.ts'
import { createStoreDatabase, type StoreDatabase } from '../../../test/support/store-database.ts'
import { GitHistory } from './support/git-history.ts'

let stored: StoreDatabase
let store: PostgresStore
let history: GitHistory

beforeAll(async () => {
  stored = await createStoreDatabase()
  store = stored.store
  history = await GitHistory.create()
})

afterAll(async () => {
  await history?.remove()
  await stored?.close()
})

describe('markReachable', () => {
  it('finds what git rev-list --objects --all finds, with types, paths and newest first', async () => {
    const h = history
    await h.commit({ 'README.md': 'one\n', 'src/lib/a.ts': 'a1\n', 'src/b.ts': 'b1\n' })
    await h.commit({ 'src/lib/a.ts': 'a2\n' })
    await h.git(['tag', '-a', '-m', 'v1', 'v1'])
    await h.git(['checkout', '-q', '-b', 'feature'])
    await h.commit({ 'docs/guide.md': 'guide\n' })
    await h.git(['checkout', '-q', 'main'])
    const newest = await h.commit({ 'src/b.ts': 'b2\n' })
    const { repo } = await store.createRepo({ name: 'mark' })
    await h.importInto({ store, repoId: repo.repoId })
    // an object no ref reaches
    const loose = makeObject('blob', Buffer.from('loose\n'))
    await store.writeObjects(repo.repoId, [loose])

    const { marked, listed } = await markReachable({ store, repoId: repo.repoId })
    const expected = await h.reachable()
    expect([...marked.reachable.keys()].sort()).toEqual([...expected.keys()].sort())
    const types = await gitOutput(
      h.dir,
      ['cat-file', '--batch-check=%(objectname) %(objecttype)'],
      {
        input: [...expected.keys()].map((o) => `${o}\n`).join(''),
      },
    )
    for (const l of lines(types))
      expect(marked.reachable.get(l.slice(0, 40))?.type).toBe(l.slice(41))
    const paths = new Map([...marked.reachable.values()].map((o) => [o.path, o]))
    expect(paths.get('src/lib/a.ts')?.type).toBe('blob')
    expect(paths.get('src/lib')?.type).toBe('tree')
    expect(marked.reachable.get(newest)!.rank).toBe(
      Math.min(
        ...[...marked.reachable.values()].filter((o) => o.type === 'commit').map((o) => o.rank),
      ),
    )
    expect(marked.tips.get('refs/heads/main')).toBe(newest)
    expect(marked.tips.has('HEAD')).toBe(false)
    expect(listed.has(loose.oid)).toBe(true)
    expect(marked.reachable.has(loose.oid)).toBe(false)
  })

  it("walks a shallow history without its missing parents, and keeps extra roots' objects", async () => {
    const { repo } = await store.createRepo({ name: 'shallow' })
    const blob = makeObject('blob', Buffer.from('content\n'))
    const tree = makeObject(
      'tree',
      Buffer.concat([Buffer.from('100644 f.txt\0'), Buffer.from(blob.oid, 'hex')]),
    )
    const commit = makeObject(
      'commit',
      Buffer.from(
        `tree ${tree.oid}\nparent ${'1'.repeat(40)}\n` +
          'author A <a@example.com> 1700000000 +0000\n' +
          'committer A <a@example.com> 1700000000 +0000\n\nshallow\n',
      ),
    )
    const pending = makeObject('blob', Buffer.from('pending change\n'))
    await store.writeObjects(repo.repoId, [blob, tree, commit, pending])
    await store.updateRefs(repo.repoId, [{ name: 'refs/heads/main', oid: commit.oid }])
    const { marked } = await markReachable({
      store,
      repoId: repo.repoId,
      extraRoots: async () => [pending.oid],
    })
    expect([...marked.reachable.keys()].sort()).toEqual(
      [blob.oid, tree.oid, commit.oid, pending.oid].sort(),
    )
  })
})
