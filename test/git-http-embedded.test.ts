import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from '@gitpg/server'
import { fsckStrict } from './support/export-objects.ts'
import { buildFixtureRepo, type FixtureRepo } from './support/fixture-repo.ts'
import { cloneStrict, git, gitOutput, gitRefs, lines } from './support/git-cli.ts'
import { gitRemote, startTestServer } from './support/test-server.ts'

// The embedded PostgreSQL (no DATABASE_URL), started in the test's data dir by the server.
const KEY = 'git-http-embedded-key'
let tmp: string
let fixture: FixtureRepo
let server: RunningServer

const objects = async (dir: string) =>
  lines(await gitOutput(dir, ['rev-list', '--all', '--objects']))
    .map((l) => l.slice(0, 40))
    .sort()

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'gitpg-git-embedded-'))
  // run as root, the embedded PostgreSQL runs as user postgres: let it reach the data dir
  await chmod(tmp, 0o755)
  fixture = await buildFixtureRepo({ dir: join(tmp, 'fixture'), commits: 60, seed: 31 })
  server = await startTestServer({ tmp, apiKey: KEY })
  const created = await fetch(`${server.url}/projects/emb`, {
    method: 'PUT',
    headers: { 'X-Internal-API-Key': KEY },
  })
  expect(created.status).toBe(201)
  await git(fixture.dir, ['push', '-q', gitRemote(server, KEY, 'emb'), '--all'])
  await git(fixture.dir, ['push', '-q', gitRemote(server, KEY, 'emb'), '--tags'])
}, 120_000)

afterAll(async () => {
  await server?.close()
  if (tmp) await rm(tmp, { recursive: true, force: true })
})

describe('git smart HTTP on the embedded database', () => {
  it('clones exactly the pushed repository; git fsck --strict is clean', async () => {
    const url = gitRemote(server, KEY, 'emb')
    const dir = await cloneStrict({ url, dir: join(tmp, 'clone'), args: ['--mirror'] })
    await fsckStrict(dir)
    expect(await gitRefs(dir)).toEqual(await gitRefs(fixture.dir))
    expect(await objects(dir)).toEqual(await objects(fixture.dir))
  })

  it('clones with --depth 1, then fetches a commit made through the API', async () => {
    const url = gitRemote(server, KEY, 'emb')
    const dir = await cloneStrict({ url, dir: join(tmp, 'shallow'), args: ['--depth', '1'] })
    await fsckStrict(dir)
    const head = (await gitOutput(fixture.dir, ['rev-parse', 'main'])).trim()
    expect((await gitOutput(dir, ['rev-parse', 'HEAD'])).trim()).toBe(head)
    expect(lines(await gitOutput(dir, ['rev-list', 'HEAD']))).toEqual([head])
    const put = await fetch(`${server.url}/files/emb/added/by-api.txt?message=api`, {
      method: 'PUT',
      headers: { 'X-Internal-API-Key': KEY },
      body: 'from the API\n',
    })
    expect(put.status).toBe(201)
    const { commit } = (await put.json()) as { commit: string }
    await git(dir, ['-c', 'transfer.fsckObjects=true', 'fetch', '-q', 'origin'])
    await fsckStrict(dir)
    expect((await gitOutput(dir, ['rev-parse', 'origin/main'])).trim()).toBe(commit)
    expect((await gitOutput(dir, ['show', `${commit}:added/by-api.txt`])).toString()).toBe(
      'from the API\n',
    )
  })
})
