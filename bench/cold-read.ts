/**
 * Measures reads of cold (packed) objects against reads of object rows, and the memory a pack
 * index takes per object. Makes its own database (`GITPG_BENCH_DB`, default `bench_packs`, dropped
 * and made again) on the server of `DATABASE_URL`:
 *
 *   node --expose-gc --import tsx bench/cold-read.ts
 *
 * A 20 KB file in 60 versions (a few lines changed each): versions 1-50 go into one pack as
 * delta chains up to 10 deep (as maintenance packs them), 51-60 stay rows, stored whole. Each read
 * is of one object by a server whose delta-base cache is cold and whose pack index cache is warm
 * (as after its first cold read): the queries it sends and its median time over many reads.
 * Then: a stream of 20,000 small blobs (`streamStored`) from rows and from a pack; the count of
 * distinct objects of a repository of 200,000 packed objects and 20,000 rows; and the heap and
 * buffer bytes the index cache holds per packed object.
 */
import { deflateSync } from 'node:zlib'
import pg from 'pg'
import { makeObject, type GitObject } from '../packages/git-pg-fs/src/objects/git-object.ts'
import { createDelta } from '../packages/git-pg-fs/src/pack/create-delta.ts'
import { BaseCache } from '../packages/git-pg-fs/src/store/postgres/base-cache.ts'
import { Database } from '../packages/git-pg-fs/src/store/postgres/database.ts'
import { GIT_MIGRATIONS_DIR, migrate } from '../packages/git-pg-fs/src/store/postgres/migrate.ts'
import { PostgresStore } from '../packages/git-pg-fs/src/store/postgres/postgres-store.ts'
import {
  writePack,
  type PackEntryInput,
} from '../packages/git-pg-fs/src/store/postgres/packs/index.ts'
import { PackIndexCache } from '../packages/git-pg-fs/src/store/postgres/packs/pack-index-cache.ts'

const ADMIN = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const NAME = process.env.GITPG_BENCH_DB ?? 'bench_packs'
const READS = 200

async function main() {
  const admin = new pg.Client({ connectionString: ADMIN })
  await admin.connect()
  await admin.query(`DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`)
  await admin.query(`CREATE DATABASE ${NAME}`)
  const url = new URL(ADMIN)
  url.pathname = `/${NAME}`
  const db = new Database({ connectionString: url.toString() })
  try {
    await migrate({ db, scope: 'git', dir: GIT_MIGRATIONS_DIR })
    const store = new PostgresStore({ db })
    const { repoId } = (await store.createRepo({ name: 'cold' })).repo
    const versions = fileVersions(60)
    await store.writeObjects(repoId, versions)
    await db.transaction((tx) =>
      writePack({ db: tx, repoId, entries: chains(versions.slice(0, 50), 10) }),
    )
    let queries = 0
    const query = db.pool.query.bind(db.pool) as (...args: unknown[]) => unknown
    ;(db.pool as unknown as { query: unknown }).query = (...args: unknown[]) => {
      queries++
      return query(...args)
    }
    const packs = new PackIndexCache()
    const measure = async (label: string, oid: string) => {
      const times: number[] = []
      let asked = 0
      for (let i = 0; i < READS; i++) {
        const reader = new PostgresStore({ db, bases: new BaseCache(), packs })
        queries = 0
        const t = performance.now()
        await reader.readObjects(repoId, [oid])
        times.push(performance.now() - t)
        asked = queries
      }
      times.sort((a, b) => a - b)
      console.log(`${label}: ${asked} queries, median ${times[READS >> 1].toFixed(2)} ms`)
    }
    await measure('row (whole)', versions[55].oid)
    // warms the pack index cache, as a server's first cold read does
    await new PostgresStore({ db, packs }).readObjects(repoId, [versions[0].oid])
    await measure('packed, whole', versions[0].oid)
    await measure('packed, 5 deep', versions[5].oid)
    await measure('packed, 10 deep', versions[10].oid)
    await measureStreams(db, 20_000)
    const perObject = await indexBytesPerObject(db, 200_000)
    console.log(`index memory: ${perObject.toFixed(1)} bytes an object (200,000 in one pack)`)
  } finally {
    await db.close()
    await admin.query(`DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`)
    await admin.end()
  }
}

/** `n` versions of a 20 KB text file, each with a few lines changed from the one before. */
function fileVersions(n: number): GitObject[] {
  const lines = Array.from({ length: 500 }, (_, i) => `line ${i} of a file that changes a little\n`)
  const out: GitObject[] = []
  for (let v = 0; v < n; v++) {
    for (let k = 0; k < 3; k++)
      lines[(v * 37 + k * 101) % lines.length] = `version ${v} edit ${k}\n`
    out.push(makeObject('blob', Buffer.from(lines.join(''))))
  }
  return out
}

/** Entries of `objects` in order: each a delta on the one before, whole every `depth`. */
function chains(objects: readonly GitObject[], depth: number): PackEntryInput[] {
  return objects.map((o, i) => {
    const delta = i % (depth + 1) === 0 ? null : createDelta(objects[i - 1].content, o.content)
    return {
      oid: Buffer.from(o.oid, 'hex'),
      type: 3,
      size: o.content.length,
      data: deflateSync(delta ?? o.content),
      base: delta ? Buffer.from(objects[i - 1].oid, 'hex') : null,
    }
  })
}

/**
 * Streams `n` small blobs (as a clone's walk reads them, `streamStored`) from rows and from one
 * pack: the time of the whole stream, median of five.
 */
async function measureStreams(db: Database, n: number): Promise<void> {
  const store = new PostgresStore({ db })
  const blobs = Array.from({ length: n }, (_, i) =>
    makeObject('blob', Buffer.from(`blob ${i}\n`.repeat(1 + (i % 40)))),
  )
  const rows = (await store.createRepo({ name: 'rows' })).repo.repoId
  const packed = (await store.createRepo({ name: 'packed' })).repo.repoId
  await store.writeObjects(rows, blobs)
  await store.writeObjects(packed, blobs)
  await db.transaction((tx) => writePack({ db: tx, repoId: packed, entries: chains(blobs, 0) }))
  for (const [label, repoId] of [
    ['rows', rows],
    ['packed', packed],
  ] as const) {
    const times: number[] = []
    for (let run = 0; run < 5; run++) {
      const t = performance.now()
      let seen = 0
      for await (const batch of store.streamStored(repoId, 'blob')) seen += batch.length
      times.push(performance.now() - t)
      if (seen !== n) throw new Error(`${label}: streamed ${seen} of ${n}`)
    }
    times.sort((a, b) => a - b)
    console.log(`stream ${n} blobs from ${label}: median ${times[2].toFixed(0)} ms`)
  }
}

/** Heap and buffer bytes the index cache holds for a pack of `n` objects, per object. */
async function indexBytesPerObject(db: Database, n: number): Promise<number> {
  const { repoId } = (await new PostgresStore({ db }).createRepo({ name: 'wide' })).repo
  const entries = Array.from({ length: n }, (_, i) => ({
    oid: Buffer.from(i.toString(16).padStart(40, '0'), 'hex'),
    type: 3,
    size: 1,
    data: deflateSync(Buffer.from('x')),
    base: null,
  }))
  await db.transaction((tx) => writePack({ db: tx, repoId, entries }))
  entries.length = 0
  const gc = (globalThis as { gc?: () => void }).gc
  if (!gc) throw new Error('run with node --expose-gc')
  const settle = async () => {
    for (let i = 0; i < 3; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50))
      gc()
    }
    const m = process.memoryUsage()
    return m.heapUsed + m.external
  }
  const before = await settle()
  const cache = new PackIndexCache({ maxBytes: 1 << 30 })
  await cache.refresh(db, repoId)
  const after = await settle()
  if (cache.get(repoId)?.packs.size !== 1) throw new Error('the pack was not loaded')
  // and 20,000 rows beside: counting distinct objects probes their ids in the index
  const store = new PostgresStore({ db, packs: cache })
  const rows = Array.from({ length: 20_000 }, (_, i) => makeObject('blob', Buffer.from(`row ${i}`)))
  await store.writeObjects(repoId, rows)
  const times: number[] = []
  for (let run = 0; run < 5; run++) {
    const t = performance.now()
    if ((await store.countObjects(repoId)) !== n + rows.length) throw new Error('miscounted')
    times.push(performance.now() - t)
  }
  console.log(
    `countObjects of ${n} packed objects and ${rows.length} rows: median ${times.sort((a, b) => a - b)[2].toFixed(0)} ms`,
  )
  return (after - before) / n
}

await main()
