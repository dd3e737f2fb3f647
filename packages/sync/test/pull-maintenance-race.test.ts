import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { maintainRepo, PostgresStore, Repository } from '@gitpg/git-pg-fs'
import { importProject, pullProject } from '../src/index.ts'
import { RemoteRepo } from './support/remote-repo.ts'
import { startSyncStack, type SyncStack } from './support/sync-stack.ts'

const TOKEN = 'good-token'
let stack: SyncStack

beforeAll(async () => {
  stack = await startSyncStack({ name: 'pull-race', token: TOKEN })
})
afterAll(() => stack?.close())
afterEach(() => vi.restoreAllMocks())

describe('pullProject racing maintenance', () => {
  it('moves the branch to a stored commit that collection would otherwise remove meanwhile', async () => {
    const { store } = stack
    const remote = new RemoteRepo(stack.root, 'rewound')
    remote.commit({ 'a.txt': 'a\n' }, 'first')
    const first = remote.head()
    remote.commit({ 'b.txt': 'b\n' }, 'second')
    const url = `${stack.remotes.url}/rewound.git`
    await importProject({ store, name: 'rewound', url, token: TOKEN })
    const repo = await Repository.open({ store, name: 'rewound' })
    const head = remote.head()
    const unique = remote
      .git('rev-list', '--objects', head, `^${first}`)
      .split('\n')
      .filter(Boolean)
      .map((l) => l.slice(0, 40))
    // the project rewound to the first commit: the second is stored, reached by no ref
    await store.updateRefs(repo.repoId, [{ name: 'refs/heads/main', expected: head, oid: first }])

    // maintenance (prune=now) runs once the pull has checked the history, before the ref moves
    let run: Promise<unknown> | null = null
    const updateRefs = PostgresStore.prototype.updateRefs
    vi.spyOn(PostgresStore.prototype, 'updateRefs').mockImplementation(async function (
      this: PostgresStore,
      ...args: Parameters<PostgresStore['updateRefs']>
    ) {
      if (!run) {
        let waiting = () => {}
        const waited = new Promise<void>((resolve) => (waiting = resolve))
        run = maintainRepo({
          store,
          repoId: repo.repoId,
          options: { prune: 'now', log: (e) => e === 'gc-wait' && waiting() },
        })
        await Promise.race([run, waited])
      }
      return updateRefs.apply(this, args)
    })
    const result = await pullProject({ store, name: 'rewound', token: TOKEN })
    await run
    expect(run).not.toBeNull()
    expect(result).toMatchObject({ from: first, to: head, upToDate: false })
    expect((await store.hasObjects(repo.repoId, unique)).size).toBe(unique.length)
  })
})
