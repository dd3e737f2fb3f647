import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  convertObjects,
  Database,
  GIT_MIGRATIONS_DIR,
  hashObject,
  migrate,
  PostgresStore,
  TYPE_CODE,
  type ObjectType,
} from '@gitpg/git-pg-fs'
import { catFileBatch, git, gitOutput, lines } from './support/git-cli.ts'
import { createTestDatabase, type TestDatabase } from './support/database.ts'

const identity = ['-c', 'user.name=Ada Lovelace', '-c', 'user.email=ada@example.com']
let tmp: string
let database: TestDatabase
let db: Database

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'gitpg-upgrade-'))
  database = await createTestDatabase()
  db = new Database({ connectionString: database.url })
})

afterAll(async () => {
  await db?.close()
  await database?.drop()
  await rm(tmp, { recursive: true, force: true })
})

describe('convertObjects', () => {
  it('upgrades a database of whole uncompressed rows in place, every object and file intact', async () => {
    const source = join(tmp, 'source')
    await git(tmp, ['init', '-q', '-b', 'main', source])
    for (let i = 0; i < 30; i++) {
      await writeFile(join(source, `f${i % 4}.txt`), `version ${i}\n`.repeat(50 + i))
      await git(source, ['add', '-A'])
      await git(source, [...identity, 'commit', '-q', '-m', `commit ${i}`])
    }
    const oids = lines(
      await gitOutput(source, ['cat-file', '--batch-all-objects', '--batch-check=%(objectname)']),
    )
    const objects = await catFileBatch(source, oids)

    // the first format: the first migration only, rows of raw content
    const first = join(tmp, 'first-format')
    await mkdir(first)
    await copyFile(join(GIT_MIGRATIONS_DIR, '001_git.sql'), join(first, '001_git.sql'))
    await migrate({ db, scope: 'git', dir: first })
    const { rows } = await db.query<{ repo_id: number }>(
      `INSERT INTO repos (name) VALUES ('old') RETURNING repo_id`,
    )
    const repoId = rows[0].repo_id
    const config = Buffer.from('[core]\n\tbare = true\n')
    await db.query(`INSERT INTO git_files (repo_id, path, content) VALUES ($1, 'config', $2)`, [
      repoId,
      config,
    ])
    for (const o of objects.values()) {
      await db.query(
        `INSERT INTO git_objects (repo_id, oid, type, size, data) VALUES ($1, $2, $3, $4, $5)`,
        [
          repoId,
          Buffer.from(o.oid, 'hex'),
          TYPE_CODE[o.type as ObjectType],
          o.content.length,
          o.content,
        ],
      )
    }

    await migrate({ db, scope: 'git', dir: GIT_MIGRATIONS_DIR })
    const store = new PostgresStore({ db })
    // readable before the conversion too (a server reads while another converts)
    const before = await store.readObjects(repoId, oids)
    expect(before.size).toBe(oids.length)
    expect(await convertObjects(db)).toBe(oids.length)
    expect(await convertObjects(db)).toBe(0)

    const raw = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM git_objects WHERE NOT zlib',
    )
    expect(raw.rows[0].n).toBe(0)
    const after = await new PostgresStore({ db }).readObjects(repoId, oids)
    expect(after.size).toBe(oids.length)
    for (const oid of oids) {
      const o = after.get(oid)!
      expect(hashObject(o.type, o.content)).toBe(oid)
      expect(o.content.equals(objects.get(oid)!.content)).toBe(true)
    }
    expect((await store.readFile(repoId, 'config'))?.content.equals(config)).toBe(true)
  })
})
