import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Database, PostgresStore } from '@gitpg/git-pg-fs'
import type { RunningServer } from '@gitpg/server'
import { tourProject } from '../examples/isomorphic-git.ts'
import { createTestDatabase, type TestDatabase } from './support/database.ts'
import { fsckStrict } from './support/export-objects.ts'
import { buildFixtureRepo, type FixtureRepo } from './support/fixture-repo.ts'
import { cloneStrict, git, gitOutput, lines, splitZ } from './support/git-cli.ts'
import { gitRemote, startTestServer } from './support/test-server.ts'

const KEY = 'isomorphic-git-example-key'
let tmp: string
let database: TestDatabase
let db: Database
let fixture: FixtureRepo
let server: RunningServer

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'gitpg-isogit-'))
  database = await createTestDatabase()
  fixture = await buildFixtureRepo({ dir: join(tmp, 'fixture'), commits: 12, seed: 7 })
  server = await startTestServer({ tmp, apiKey: KEY, databaseUrl: database.url })
  await fetch(`${server.url}/projects/tour`, {
    method: 'PUT',
    headers: { 'X-Internal-API-Key': KEY },
  })
  await git(fixture.dir, ['push', '-q', gitRemote(server, KEY, 'tour'), 'main'])
  db = new Database({ connectionString: database.url })
})

afterAll(async () => {
  await db?.close()
  await server?.close()
  await database?.drop()
  if (tmp) await rm(tmp, { recursive: true, force: true })
})

describe('examples/isomorphic-git.ts', () => {
  it('reads, commits and merges through createPgFs; stock git agrees with every step', async () => {
    const before = (await gitOutput(fixture.dir, ['rev-parse', 'main'])).trim()
    const tour = await tourProject({
      store: new PostgresStore({ db }),
      name: 'tour',
      branch: 'main',
    })

    // log, walk and readBlob read what git reads
    expect(tour.log.map((c) => c.oid)).toEqual(
      lines(await gitOutput(fixture.dir, ['rev-list', '--max-count=5', 'main'])),
    )
    expect([...tour.files].sort()).toEqual(
      splitZ(await gitOutput(fixture.dir, ['ls-tree', '-r', '-z', 'main']))
        .filter((entry) => entry.split(' ')[1] === 'blob')
        .map((entry) => entry.slice(entry.indexOf('\t') + 1))
        .sort(),
    )
    expect(tour.firstFile.content).toBe(
      (await gitOutput(fixture.dir, ['show', `main:${tour.firstFile.path}`])).toString(),
    )

    // commit and merge wrote objects and refs gitpg serves to stock git
    const dir = await cloneStrict({ url: gitRemote(server, KEY, 'tour'), dir: join(tmp, 'clone') })
    await fsckStrict(dir)
    expect((await gitOutput(dir, ['rev-parse', 'HEAD'])).trim()).toBe(tour.merge)
    expect(lines(await gitOutput(dir, ['log', '--format=%P', '-1']))).toEqual([
      `${before} ${tour.commit}`,
    ])
    expect((await gitOutput(dir, ['show', 'HEAD:TOUR.md'])).toString()).toContain(
      `${tour.files.length} files`,
    )
    expect((await gitOutput(dir, ['log', '--format=%s', '-1'])).toString().trim()).toBe(
      "Merge branch 'tour' into main",
    )
  })
})
