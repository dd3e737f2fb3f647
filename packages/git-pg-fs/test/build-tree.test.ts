import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeBundle } from '../src/bundle/write-bundle.ts'
import { PathConflictError } from '../src/errors.ts'
import { Repository } from '../src/repo/repository.ts'
import type { PostgresStore } from '../src/store/postgres/postgres-store.ts'
import { createStoreDatabase, type StoreDatabase } from '../../../test/support/store-database.ts'
import { git, gitOutput } from '../../../test/support/git-cli.ts'

const author = { name: 'Ada Lovelace', email: 'ada@example.com', timestamp: 1700000000 }

let stored: StoreDatabase
let store: PostgresStore

beforeAll(async () => {
  stored = await createStoreDatabase()
  store = stored.store
})
afterAll(() => stored?.close())

async function newRepo(name: string) {
  await store.createRepo({ name })
  return Repository.open({ store, name })
}

const write = (path: string, text: string) =>
  ({ path, action: 'write', content: Buffer.from(text) }) as const
const del = (path: string) => ({ path, action: 'delete' }) as const
const paths = async (repo: Repository) => (await repo.listFiles()).map((f) => f.path)

describe('buildTree (through Repository.commit)', () => {
  it('commits a file 1,500 directories deep, and git accepts the result', async () => {
    const repo = await newRepo('deep')
    const deep = `${Array.from({ length: 1500 }, () => 'd').join('/')}/leaf.txt`
    await repo.commit({ branch: 'main', changes: [write(deep, 'deep\n')], message: 'deep', author })
    expect((await repo.readFile({ path: deep })).content.toString()).toBe('deep\n')
    await repo.commit({ branch: 'main', changes: [write('top.txt', 'x')], message: 'm', author })
    expect(await paths(repo)).toEqual([deep, 'top.txt'])
    const dir = await mkdtemp(join(tmpdir(), 'gitpg-deep-'))
    try {
      await writeFile(
        join(dir, 'r.bundle'),
        await collect(writeBundle({ store, repoId: repo.repoId })),
      )
      await git(dir, ['clone', '-q', '--bare', 'r.bundle', 'r.git'])
      await git(join(dir, 'r.git'), ['fsck', '--strict'])
      const ls = await gitOutput(join(dir, 'r.git'), ['ls-tree', '-r', '--name-only', 'HEAD'])
      expect(ls.split('\n').filter(Boolean)).toEqual([deep, 'top.txt'])
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('deleting file a and writing a/b in one commit makes a a directory', async () => {
    const repo = await newRepo('file-to-dir')
    await repo.commit({ branch: 'main', changes: [write('a', 'file')], message: 'm', author })
    await repo.commit({
      branch: 'main',
      changes: [del('a'), write('a/b', 'inside')],
      message: 'm',
      author,
    })
    expect(await paths(repo)).toEqual(['a/b'])
  })

  it('writing file a where every file under directory a is deleted makes a a file', async () => {
    const repo = await newRepo('dir-to-file')
    await repo.commit({
      branch: 'main',
      changes: [write('a/b', 'b'), write('a/c/d', 'd')],
      message: 'm',
      author,
    })
    await repo.commit({
      branch: 'main',
      changes: [write('a', 'file'), del('a/b'), del('a/c/d')],
      message: 'm',
      author,
    })
    expect(await paths(repo)).toEqual(['a'])
  })

  it('any other clash of a file and a directory is PATH_CONFLICT and commits nothing', async () => {
    const repo = await newRepo('clash')
    await repo.commit({
      branch: 'main',
      changes: [write('dir/x', 'x'), write('dir/y', 'y'), write('file', 'f')],
      message: 'm',
      author,
    })
    const head = await repo.readRef('refs/heads/main')
    const attempts = [
      [write('dir', 'over a directory')],
      [write('dir', 'over a half-emptied directory'), del('dir/x')],
      [write('file/under', 'under a file')],
      [del('dir')],
      [write('new', 'n'), write('new/under', 'u')],
    ]
    for (const changes of attempts) {
      await expect(
        repo.commit({ branch: 'main', changes, message: 'm', author }),
      ).rejects.toBeInstanceOf(PathConflictError)
    }
    expect(await repo.readRef('refs/heads/main')).toBe(head)
  })

  it('drops ifPresent deletions under a path that has since become a file', async () => {
    const repo = await newRepo('stale-delete')
    await repo.commit({ branch: 'main', changes: [write('x/y', 'y')], message: 'm', author })
    await repo.commit({
      branch: 'main',
      changes: [del('x/y'), write('x', 'file')],
      message: 'm',
      author,
    })
    const gone = (path: string) => ({ path, action: 'delete', ifPresent: true }) as const
    await repo.commit({
      branch: 'main',
      changes: [gone('x/y'), gone('x/deep/er'), write('z', 'z')],
      message: 'm',
      author,
    })
    expect(await paths(repo)).toEqual(['x', 'z'])
    expect((await repo.readFile({ path: 'x' })).content.toString()).toBe('file')
    await expect(
      repo.commit({
        branch: 'main',
        changes: [gone('x/y'), write('x/w', 'w')],
        message: 'm',
        author,
      }),
    ).rejects.toMatchObject({ code: 'PATH_CONFLICT' })
  })

  it('a delete with ifPresent of a path that is not there changes nothing', async () => {
    const repo = await newRepo('if-present')
    await repo.commit({ branch: 'main', changes: [write('a', 'a')], message: 'm', author })
    const result = await repo.commit({
      branch: 'main',
      changes: [{ path: 'gone', action: 'delete', ifPresent: true }, write('b', 'b')],
      message: 'm',
      author,
    })
    expect(result.oid).toMatch(/^[0-9a-f]{40}$/)
    expect(await paths(repo)).toEqual(['a', 'b'])
  })
})

async function collect(chunks: AsyncIterable<Buffer> | Iterable<Buffer>): Promise<Buffer> {
  const out: Buffer[] = []
  for await (const c of chunks) out.push(c)
  return Buffer.concat(out)
}
