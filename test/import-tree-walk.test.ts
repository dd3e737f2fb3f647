import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BadObjectError, importPack } from '@gitpg/git-pg-fs'
import { git, gitOutput } from './support/git-cli.ts'
import { createStoreDatabase, type StoreDatabase } from './support/store-database.ts'

let tmp: string
let stores: StoreDatabase

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'gitpg-tree-walk-'))
  stores = await createStoreDatabase()
})

afterAll(async () => {
  await stores?.close()
  await rm(tmp, { recursive: true, force: true })
})

/** A repository holding one blob and a tree of `entries` (raw modes, written as they are). */
async function packWithTree(name: string, modes: string[]) {
  const dir = join(tmp, name)
  await git(tmp, ['init', '-q', '--bare', dir])
  const blob = await gitOutput(dir, ['hash-object', '-w', '--stdin'], { input: 'hello\n' })
  const entries = modes.map((mode, i) =>
    Buffer.concat([Buffer.from(`${mode} f${i}\0`), Buffer.from(blob.trim(), 'hex')]),
  )
  const tree = await gitOutput(dir, ['hash-object', '-t', 'tree', '--literally', '-w', '--stdin'], {
    input: Buffer.concat(entries),
  })
  const pack = await git(dir, ['pack-objects', '--stdout', '-q'], {
    input: `${blob.trim()}\n${tree.trim()}\n`,
  })
  return { pack, tree: tree.trim(), blob: blob.trim() }
}

async function importInto(name: string, pack: Buffer) {
  const { repo } = await stores.store.createRepo({ name })
  return importPack({ store: stores.store, repoId: repo.repoId, pack })
}

describe('importPack walks each tree once', () => {
  it('imports a sound tree and knows the pack holds what it points at', async () => {
    const { pack, tree, blob } = await packWithTree('sound', ['100644', '100755'])
    const result = await importInto('sound', pack)
    expect(result.objects).toBe(2)
    expect(result.holds([tree])).toBe(true)
    const stored = await stores.store.readObjects((await stores.store.getRepo('sound'))!.repoId, [
      tree,
      blob,
    ])
    expect(stored.size).toBe(2)
  })

  it('refuses a mode of more than six digits that fsck alone lets through', async () => {
    // 10100644 reads as 100644 in git's sixteen bits: fsck has nothing against it
    const { pack, tree } = await packWithTree('long-mode', ['10100644'])
    const err = await importInto('long-mode', pack).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(BadObjectError)
    expect((err as Error).message).toBe(`tree ${tree}: malformed tree: bad mode`)
  })

  it('refuses an empty mode (fsck reports it as info only)', async () => {
    const { pack, tree } = await packWithTree('empty-mode', ['100644', ''])
    const err = await importInto('empty-mode', pack).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(BadObjectError)
    expect((err as Error).message).toBe(`tree ${tree}: malformed tree: bad mode`)
  })

  it('reports fsck before the shape: a zero-padded long mode is zeroPaddedFilemode', async () => {
    const { pack, tree } = await packWithTree('padded-mode', ['00100644'])
    const err = await importInto('padded-mode', pack).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(BadObjectError)
    expect((err as Error).message).toBe(
      `object ${tree}: zeroPaddedFilemode: contains zero-padded file modes`,
    )
  })

  it('does not hold a tree whose entry points outside the pack', async () => {
    const { pack, tree } = await packWithTree('outside', ['100644'])
    // the pack without its blob: a tree pointing at an id it does not hold
    const dir = join(tmp, 'outside')
    const treeOnly = await git(dir, ['pack-objects', '--stdout', '-q'], { input: `${tree}\n` })
    expect(pack.length).toBeGreaterThan(treeOnly.length)
    const result = await importInto('outside-tree-only', treeOnly)
    expect(result.objects).toBe(1)
    expect(result.holds([tree])).toBe(false)
  })
})
