import { join } from 'node:path'
import { expect } from 'vitest'
import {
  maintainRepo,
  type MaintenanceOptions,
  type MaintenanceReport,
  type ObjectType,
  type PostgresStore,
} from '@gitpg/git-pg-fs'
import { fsckStrict } from './export-objects.ts'
import { cloneStrict, gitOutput, gitRefs, lines } from './git-cli.ts'

const TYPES: ObjectType[] = ['commit', 'tree', 'blob', 'tag']

/** Every object id the store holds for the repository, read row by row. */
export async function storedIds(store: PostgresStore, repoId: number): Promise<Set<string>> {
  const ids = new Set<string>()
  for (const type of TYPES)
    for await (const rows of store.streamStored(repoId, type)) for (const r of rows) ids.add(r.oid)
  return ids
}

/** One maintenance run that must not find the repository locked. */
export async function maintain({
  store,
  repoId,
  options,
}: {
  store: PostgresStore
  repoId: number
  options: MaintenanceOptions
}): Promise<MaintenanceReport> {
  const report = await maintainRepo({ store, repoId, options })
  if (!report) throw new Error(`maintenance of repository ${repoId} found it locked`)
  return report
}

/**
 * What git says of the project as served now: a mirror clone over HTTP (every object checked by
 * index-pack) that `git fsck --strict` accepts, with the server's refs; every object its refs reach
 * read back by id through the store. Returns those objects' ids and the refs.
 */
export async function checkServed({
  store,
  repoId,
  url,
  dir,
}: {
  store: PostgresStore
  repoId: number
  url: string
  dir: string
}): Promise<{ reachable: Set<string>; refs: Map<string, string> }> {
  const stored = new Map(
    (await store.listRefs(repoId, 'refs/')).flatMap((r) => (r.oid ? [[r.name, r.oid]] : [])),
  )
  await cloneStrict({ url, dir: join(dir), args: ['--mirror'] })
  await fsckStrict(dir)
  const cloned = new Map((await gitRefs(dir)).map((r) => [r.name, r.oid]))
  expect(cloned).toEqual(stored)
  const out = await gitOutput(dir, ['rev-list', '--objects', '--all'])
  const reachable = new Set(lines(out).map((l) => l.slice(0, 40)))
  const read = await store.readObjects(repoId, [...reachable])
  expect([...reachable].filter((oid) => !read.has(oid))).toEqual([])
  return { reachable, refs: stored }
}
