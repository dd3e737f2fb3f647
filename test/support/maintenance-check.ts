import { join } from 'node:path'
import { expect } from 'vitest'
import {
  maintainRepo,
  parseCommit,
  parseTree,
  parseTag,
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
 * Each ref whose whole history the store does not hold, with the ids it lacks: a full walk from
 * every ref through the store (no stopping at what other refs reach). Empty when all is well.
 */
export async function brokenRefs({
  store,
  repoId,
}: {
  store: PostgresStore
  repoId: number
}): Promise<Record<string, string[]>> {
  const broken: Record<string, string[]> = {}
  const seen = new Set<string>()
  for (const ref of await store.listRefs(repoId, 'refs/')) {
    if (!ref.oid) continue
    let todo = [ref.oid]
    while (todo.length > 0) {
      const wanted = [...new Set(todo)].filter((oid) => !seen.has(oid))
      for (const oid of wanted) seen.add(oid)
      const objects = await store.readObjects(repoId, wanted)
      todo = []
      for (const oid of wanted) {
        const o = objects.get(oid)
        if (!o) (broken[ref.name] ??= []).push(oid)
        else if (o.type === 'commit')
          todo.push(parseCommit(o.content).tree, ...parseCommit(o.content).parents)
        else if (o.type === 'tag') todo.push(parseTag(o.content).object)
        else if (o.type === 'tree')
          for (const e of parseTree(o.content)) if (e.type !== 'commit') todo.push(e.oid)
      }
    }
  }
  return broken
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
  expect(await brokenRefs({ store, repoId })).toEqual({})
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
