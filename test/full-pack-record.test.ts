import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { collectGarbage, hashObject, importPack, preparePack } from '@gitpg/git-pg-fs'
import { git, gitOutput, lines, packRepo } from './support/git-cli.ts'
import { createStoreDatabase, type StoreDatabase } from './support/store-database.ts'

const identity = ['-c', 'user.name=Ada Lovelace', '-c', 'user.email=ada@example.com']
let tmp: string
let source: string
let all: string[]
let tips: string[]
let stores: StoreDatabase

/** A history of two branches and an annotated tag, packed with deltas. */
async function buildHistory(dir: string) {
  await git(tmp, ['init', '-q', '-b', 'main', dir])
  const text = Array.from({ length: 200 }, (_, i) => `${i} lorem ipsum dolor sit amet`)
  for (let i = 0; i < 40; i++) {
    if (i === 30) await git(dir, ['checkout', '-q', '-b', 'topic'])
    text[(i * 7) % 200] = `changed in commit ${i}`
    await writeFile(join(dir, 'edit.txt'), `${text.join('\n')}\n`)
    await writeFile(join(dir, `f${i % 4}.txt`), `version ${i}\n${text.slice(0, 60).join('\n')}\n`)
    await git(dir, ['add', '-A'])
    await git(dir, [...identity, 'commit', '-q', '-m', `commit ${i}`])
    if (i === 10) await git(dir, [...identity, 'tag', '-a', '-m', 'first', 'v1'])
  }
  await git(dir, ['repack', '-adfq', '--depth=50', '--window=50'])
}

/** A repository holding the whole history, with its refs. */
async function importHistory(name: string) {
  const { store } = stores
  const { repo } = await store.createRepo({ name })
  await importPack({ store, repoId: repo.repoId, pack: await packRepo(source) })
  const refs = lines(await gitOutput(source, ['for-each-ref', '--format=%(objectname) %(refname)']))
  await store.updateRefs(
    repo.repoId,
    refs.map((l) => ({ name: l.split(' ')[1], oid: l.split(' ')[0], expected: null })),
  )
  return repo.repoId
}

/** The pack of `wants`, whether it walked the trees, and what git's index-pack finds in it. */
async function clone(repoId: number, wants = tips, includeTags: string[] = []) {
  const walked = vi.spyOn(stores.store, 'streamStored')
  try {
    const pack = await preparePack({ store: stores.store, repoId, wants, includeTags })
    const chunks: Buffer[] = []
    for await (const chunk of pack.stream) chunks.push(chunk)
    const dir = await mkdtemp(join(tmp, 'clone-'))
    await git(tmp, ['init', '-q', '--bare', dir])
    await git(dir, ['index-pack', '--stdin', '--strict'], { input: Buffer.concat(chunks) })
    const objects = lines(
      await gitOutput(dir, ['cat-file', '--batch-all-objects', '--batch-check=%(objectname)']),
    )
    return { count: pack.count, objects, walked: walked.mock.calls.length > 0 }
  } finally {
    walked.mockRestore()
  }
}

async function record(repoId: number) {
  const { rows } = await stores.db.query<{ objects: number }>(
    'SELECT objects FROM git_full_packs WHERE repo_id = $1',
    [repoId],
  )
  return rows[0]?.objects ?? null
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'gitpg-full-pack-'))
  source = join(tmp, 'source')
  await buildHistory(source)
  all = lines(
    await gitOutput(source, ['cat-file', '--batch-all-objects', '--batch-check=%(objectname)']),
  ).sort()
  tips = [...new Set(lines(await gitOutput(source, ['for-each-ref', '--format=%(objectname)'])))]
  stores = await createStoreDatabase()
}, 120_000)

afterAll(async () => {
  await stores?.close()
  await rm(tmp, { recursive: true, force: true })
})

describe('full pack record', () => {
  it('records a clone that sent every stored object, and the same clone then skips the walk', async () => {
    const repoId = await importHistory('again')
    const first = await clone(repoId)
    expect(first).toMatchObject({ count: all.length, walked: true })
    expect(first.objects.sort()).toEqual(all)
    expect(await record(repoId)).toBe(all.length)

    // git clone asks for the tags it wants anyway with include-tag: the same record serves it
    const tag = (await gitOutput(source, ['rev-parse', 'v1'])).trim()
    const second = await clone(repoId, tips, [tag])
    expect(second).toMatchObject({ count: all.length, walked: false })
    expect(second.objects.sort()).toEqual(all)
  })

  it('walks again for other wants, or once the repository holds an object the clone does not send', async () => {
    const repoId = await importHistory('changed')
    await clone(repoId)
    const main = (await gitOutput(source, ['rev-parse', 'main'])).trim()
    const one = await clone(repoId, [main])
    expect(one.walked).toBe(true)
    expect(one.objects.length).toBeLessThan(all.length)

    const content = Buffer.from('written by no commit\n')
    const loose = hashObject('blob', content)
    await stores.store.writeObjects(repoId, [{ oid: loose, type: 'blob', content }])
    const after = await clone(repoId)
    expect(after.walked).toBe(true)
    expect(after.objects.sort()).toEqual(all)
    expect(after.objects).not.toContain(loose)
  })

  it('is forgotten when garbage collection deletes objects', async () => {
    const repoId = await importHistory('collected')
    const content = Buffer.from('unreachable\n')
    await stores.store.writeObjects(repoId, [
      { oid: hashObject('blob', content), type: 'blob', content },
    ])
    await stores.store.recordFullPack(repoId, { wants: Buffer.alloc(20), objects: all.length })
    const { report } = await collectGarbage({
      store: stores.store,
      repoId,
      options: { prune: 'now' },
    })
    expect(report.deleted).toBe(1)
    expect(await record(repoId)).toBe(null)
    const { walked, objects } = await clone(repoId)
    expect(walked).toBe(true)
    expect(objects.sort()).toEqual(all)
    expect(await record(repoId)).toBe(all.length)
  })
})
