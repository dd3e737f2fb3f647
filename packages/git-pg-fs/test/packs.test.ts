import { deflateSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeObject, TYPE_CODE, type GitObject } from '../src/objects/git-object.ts'
import { createDelta } from '../src/pack/create-delta.ts'
import type { PostgresStore } from '../src/store/postgres/postgres-store.ts'
import {
  listPacks,
  PackBaseConflictError,
  readPackedIds,
  writePack,
  type PackEntryInput,
} from '../src/store/postgres/packs/index.ts'
import { createStoreDatabase, type StoreDatabase } from '../../../test/support/store-database.ts'

let stored: StoreDatabase
let store: PostgresStore

beforeAll(async () => {
  stored = await createStoreDatabase()
  store = stored.store
})
afterAll(() => stored?.close())

const whole = (o: GitObject): PackEntryInput => ({
  oid: Buffer.from(o.oid, 'hex'),
  type: TYPE_CODE[o.type],
  size: o.content.length,
  data: deflateSync(o.content),
  base: null,
})
const delta = (o: GitObject, base: GitObject): PackEntryInput => ({
  ...whole(o),
  data: deflateSync(createDelta(base.content, o.content)),
  base: Buffer.from(base.oid, 'hex'),
})

describe('writePack', () => {
  it('packs objects, deletes their rows, and lists the pack and its ids', async () => {
    const { repo } = await store.createRepo({ name: 'api' })
    const v1 = makeObject('blob', Buffer.from('line\n'.repeat(200)))
    const v2 = makeObject('blob', Buffer.from('line\n'.repeat(200) + 'more\n'))
    await store.writeObjects(repo.repoId, [v1, v2])
    const { packId, bytes } = await stored.db.transaction((tx) =>
      writePack({ db: tx, repoId: repo.repoId, entries: [whole(v1), delta(v2, v1)] }),
    )
    expect(bytes).toBeGreaterThan(2 * 37)
    const packs = await listPacks({ db: stored.db, repoId: repo.repoId })
    expect(packs).toMatchObject([{ packId, objects: 2, bytes }])
    const ids = await readPackedIds({ db: stored.db, repoId: repo.repoId })
    expect(ids.toString('hex')).toBe([v1.oid, v2.oid].sort().join(''))
    const { rows } = await stored.db.query('SELECT 1 FROM git_objects WHERE repo_id = $1', [
      repo.repoId,
    ])
    expect(rows).toHaveLength(0)
    await expect(
      writePack({ db: stored.db, repoId: repo.repoId, entries: [whole(v1)] }),
    ).rejects.toThrow(TypeError)
  })

  it('refuses a base not in the pack, and a base of a remaining row', async () => {
    const { repo } = await store.createRepo({ name: 'conflict' })
    const v1 = makeObject('blob', Buffer.from('x\n'.repeat(300)))
    const v2 = makeObject('blob', Buffer.from('x\n'.repeat(300) + 'y\n'))
    await store.writeObjects(repo.repoId, [
      v1,
      { ...v2, packed: { data: delta(v2, v1).data, base: v1.oid, depth: 1 } },
    ])
    await expect(
      writePack({ db: stored.db, repoId: repo.repoId, entries: [delta(v2, v1)] }),
    ).rejects.toThrow(TypeError)
    const err = await writePack({ db: stored.db, repoId: repo.repoId, entries: [whole(v1)] }).catch(
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(PackBaseConflictError)
    expect((err as PackBaseConflictError).code).toBe('PACK_BASE_CONFLICT')
    expect((err as PackBaseConflictError).oids).toEqual([v1.oid])
    expect(await listPacks({ db: stored.db, repoId: repo.repoId })).toEqual([])
  })
})
