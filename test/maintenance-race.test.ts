import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GitpgError } from '@gitpg/client'
import type { MaintenanceReport } from '@gitpg/git-pg-fs'
import { git, gitOutput } from './support/git-cli.ts'
import { checkServed, maintain, storedIds } from './support/maintenance-check.ts'
import { mulberry32 } from './support/mulberry32.ts'
import { rawPush } from './support/raw-push.ts'
import { startTestStack, type TestStack } from './support/test-stack.ts'
import { WorkRepo } from './support/work-repo.ts'

const KEY = 'maintenance-race-key'
const PROJECT = 'race'
const ROUNDS = 5
/** commits on each round's deleted branch */
const GONE_COMMITS = 4
const ZERO = '0'.repeat(40)
const AUTHOR = { name: 'Race Writer', email: 'race@example.com' }
const SEED = Number(process.env.GITPG_RACE_SEED ?? Math.floor(Math.random() * 2 ** 31))
const random = mulberry32(SEED)
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]
const PATHS = [
  ...[0, 1, 2, 3].map((i) => `src/m${i}.txt`),
  ...[0, 1, 2, 3].map((i) => `docs/d${i}.md`),
  ...[0, 1, 2, 3].map((i) => `lib/deep/l${i}.txt`),
]

let stack: TestStack
let work: WorkRepo
let repoId: number
let emptyPack: Buffer

/** One write a writer tried while the collector ran: when, and what became of it. */
interface Op {
  kind: 'restore' | 'revive' | 'push' | 'branch'
  start: number
  end: number
  /** the ref the write set and its value, when it succeeded */
  ref?: { name: string; oid: string }
  /** for a restoring commit: the tree it must have, the deleted branch's */
  tree?: string
  /** why it failed, when it did */
  error?: string
}

/** A commit of the round's deleted branch: its tree and every file it changed from main. */
interface Gone {
  oid: string
  tree: string
  files: Record<string, string>
}

const content = (label: string) =>
  `${label} ${Math.floor(random() * 1e9)}\n${'filler line\n'.repeat(1 + Math.floor(random() * 20))}`

beforeAll(async () => {
  console.log(`maintenance race seed ${SEED} (GITPG_RACE_SEED=${SEED} replays its choices)`)
  stack = await startTestStack({ name: 'maintenance-race', apiKey: KEY })
  await stack.client.projects.create(PROJECT)
  work = await WorkRepo.init(join(stack.tmp, 'work'))
  await work.commit(Object.fromEntries(PATHS.map((p) => [p, content(p)])), 'main')
  await git(work.dir, ['push', '-q', stack.remote(PROJECT), 'main'])
  repoId = (await stack.store.getRepo(PROJECT))!.repoId
  emptyPack = await git(work.dir, ['pack-objects', '--stdout', '-q'], { input: '' })
})

afterAll(() => stack?.close())

/** Round `r`'s branch: pushed, then deleted (through the API or git), its commits garbage. */
async function makeGarbage(r: number): Promise<{ gone: Gone[]; built: string }> {
  await work.git('checkout', '-q', '-B', `gone-${r}`, 'main')
  const gone: Gone[] = []
  let files: Record<string, string> = {}
  for (let k = 0; k < GONE_COMMITS; k++) {
    const changes: Record<string, string> = { [`gone-${r}/c${k}.txt`]: content(`r${r}c${k}`) }
    for (let j = 0; j < 3; j++) changes[pick(PATHS)] = content(`r${r}c${k}j${j}`)
    files = { ...files, ...changes }
    const oid = await work.commit(changes, `round ${r} commit ${k}`)
    gone.push({ oid, tree: await work.rev(`${oid}^{tree}`), files })
  }
  await git(work.dir, ['push', '-q', stack.remote(PROJECT), `gone-${r}`])
  // built on the deleted branch, never pushed: its pack carries the whole deleted history
  const built = await work.commit({ [`gone-${r}/built.txt`]: content('built') }, 'built on it')
  await work.git('checkout', '-q', 'main')
  if (r % 2 === 0) await stack.client.branches.delete({ project: PROJECT, name: `gone-${r}` })
  else await git(work.dir, ['push', '-q', '--delete', stack.remote(PROJECT), `gone-${r}`])
  await stack.client.branches.create({ project: PROJECT, name: `restore-${r}`, from: 'main' })
  return { gone, built }
}

const failure = (err: unknown) =>
  err instanceof GitpgError ? `${err.status} ${err.code}` : String(err).split('\n')[0]

/** Runs `write` after a random delay, again while the collector runs (at most `max` times). */
async function writer(
  kind: Op['kind'],
  collecting: () => boolean,
  max: number,
  write: (i: number) => Promise<Pick<Op, 'ref' | 'tree'> | null>,
): Promise<Op[]> {
  const ops: Op[] = []
  await sleep(random() * 15)
  for (let i = 0; i < max; i++) {
    const start = performance.now()
    try {
      const done = await write(i)
      if (done) ops.push({ kind, start, end: performance.now(), ...done })
    } catch (err) {
      ops.push({ kind, start, end: performance.now(), error: failure(err) })
    }
    if (!collecting()) break
    await sleep(random() * 5)
  }
  return ops
}

/** The four kinds of writer of round `r`, each reaching for the deleted branch's objects. */
function writers(r: number, gone: Gone[], built: string, collecting: () => boolean) {
  const restoring = gone.filter(() => random() < 0.6)
  let restored: Record<string, string> = {}
  const user = { project: PROJECT, userId: `restorer-${r}` }
  const restore = writer('restore', collecting, restoring.length, async (i) => {
    // pending changes that make the branch's tree the deleted commit's tree, committed at once
    const target = restoring[i]
    const changed = Object.entries(target.files).filter(([p, c]) => restored[p] !== c)
    for (const [path, text] of changed)
      await stack.client.pending.save({ ...user, path, content: text })
    try {
      const { commit } = await stack.client.commits.create({
        ...user,
        message: `restore ${target.oid}`,
        author: AUTHOR,
        branch: `restore-${r}`,
      })
      restored = { ...target.files }
      return { ref: { name: `refs/heads/restore-${r}`, oid: commit }, tree: target.tree }
    } catch (err) {
      await stack.client.pending.discardAll(user).catch(() => {})
      throw err
    }
  })
  const revive = writer('revive', collecting, 3, async (i) => {
    // a push of an old commit with an empty pack: git sends nothing the server has
    const { oid } = pick(gone)
    const name = `refs/heads/revive-${r}-${i}`
    const { report } = await rawPush({
      server: stack.server,
      apiKey: KEY,
      project: PROJECT,
      commands: [`${ZERO} ${oid} ${name}`],
      pack: emptyPack,
    })
    if (report[1] !== `ok ${name}`) throw new Error(report.join('; '))
    return { ref: { name, oid } }
  })
  const push = writer('push', collecting, 3, async (i) => {
    const oid = i === 0 ? built : pick(gone).oid
    const name = `refs/heads/${i === 0 ? 'built' : 'back'}-${r}-${i}`
    await git(work.dir, ['push', '-q', stack.remote(PROJECT), `${oid}:${name}`])
    return { ref: { name, oid } }
  })
  const branch = writer('branch', collecting, 3, async (i) => {
    const { oid } = pick(gone)
    const name = `at-${r}-${i}`
    await stack.client.branches.create({ project: PROJECT, name, from: oid })
    return { ref: { name: `refs/heads/${name}`, oid } }
  })
  return Promise.all([restore, revive, push, branch]).then((all) => all.flat())
}

describe('maintenance racing pushes and commits that reach for its garbage', () => {
  const totals = { deleted: 0, rescued: 0, ok: 0, failed: 0, overlapped: 0 }

  for (let r = 0; r < ROUNDS; r++) {
    it(`round ${r}: no ref ends pointing at a missing object`, async () => {
      const { gone, built } = await makeGarbage(r)
      let collecting = true
      const collector = (async () => {
        const start = performance.now()
        try {
          const options = { prune: 'now' as const, batchSize: 5, pauseMs: 1 }
          const report: MaintenanceReport = await maintain({ store: stack.store, repoId, options })
          return { start, end: performance.now(), report }
        } finally {
          collecting = false
        }
      })()
      const [gc, ops] = await Promise.all([collector, writers(r, gone, built, () => collecting)])

      const overlapped = ops.filter((op) => op.start < gc.end && op.end > gc.start)
      const failed = ops.filter((op) => op.error)
      console.log(
        `round ${r}: collector ${Math.round(gc.end - gc.start)} ms, deleted ${gc.report.gc.deleted},` +
          ` rescued ${gc.report.gc.rescued}; ${ops.length} writes, ${overlapped.length} overlapping` +
          (failed.length
            ? `; failed: ${failed.map((op) => `${op.kind} ${op.error}`).join(', ')}`
            : ''),
      )
      expect(overlapped.length).toBeGreaterThan(0)
      // a write may fail, but cleanly: the server says why, nothing breaks
      for (const op of failed) expect(op.error).not.toMatch(/^5\d\d |internal error/)

      const served = await checkServed({
        store: stack.store,
        repoId,
        url: stack.remote(PROJECT),
        dir: join(stack.tmp, `clone-${r}`),
      })
      for (const op of ops.filter((o) => o.ref && o.kind !== 'restore'))
        expect(served.refs.get(op.ref!.name)).toBe(op.ref!.oid)
      const clone = join(stack.tmp, `clone-${r}`)
      for (const op of ops.filter((o) => o.kind === 'restore' && o.ref)) {
        const tree = (await gitOutput(clone, ['rev-parse', `${op.ref!.oid}^{tree}`])).trim()
        expect(tree).toBe(op.tree)
      }
      totals.deleted += gc.report.gc.deleted
      totals.rescued += gc.report.gc.rescued
      totals.ok += ops.length - failed.length
      totals.failed += failed.length
      totals.overlapped += overlapped.length
    })
  }

  it('leaves exactly what the refs reach after a quiet run', async () => {
    console.log(`maintenance race totals (seed ${SEED}): ${JSON.stringify(totals)}`)
    expect(totals.deleted).toBeGreaterThan(0)
    expect(totals.ok).toBeGreaterThan(0)
    await maintain({ store: stack.store, repoId, options: { prune: 'now' } })
    const served = await checkServed({
      store: stack.store,
      repoId,
      url: stack.remote(PROJECT),
      dir: join(stack.tmp, 'clone-final'),
    })
    expect([...(await storedIds(stack.store, repoId))].sort()).toEqual([...served.reachable].sort())
  })
})
