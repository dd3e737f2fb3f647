import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MaintenanceReport } from '@gitpg/git-pg-fs'
import { git, gitOutput } from './support/git-cli.ts'
import { brokenRefs, checkServed, maintain, storedIds } from './support/maintenance-check.ts'
import { mulberry32 } from './support/mulberry32.ts'
import { summarise, writer } from './support/race-writers.ts'
import { rawPush } from './support/raw-push.ts'
import { startTestStack, type TestStack } from './support/test-stack.ts'
import { WorkRepo } from './support/work-repo.ts'

const KEY = 'maintenance-race-key'
const ROUNDS = 4
/** branches deleted in each round, two commits each */
const GONE_BRANCHES = 8
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
let emptyPack: Buffer

/** A commit of one of the round's deleted branches: its tree and its files beyond main's. */
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
  work = await WorkRepo.init(join(stack.tmp, 'work'))
  const mainFiles = Object.fromEntries(PATHS.map((p) => [p, content(p)]))
  await work.commit(mainFiles, 'main')
  emptyPack = await git(work.dir, ['pack-objects', '--stdout', '-q'], { input: '' })
})

afterAll(() => stack?.close())

/**
 * Round `r`'s branches, each two commits on main: pushed, then deleted (through the API or git),
 * their objects garbage. Writers reach for half of them (`targets`); the rest only go.
 */
async function makeGarbage(
  project: string,
  r: number,
): Promise<{ targets: Gone[]; built: string[] }> {
  const targets: Gone[] = []
  const built: string[] = []
  const names: string[] = []
  for (let b = 0; b < GONE_BRANCHES; b++) {
    const name = `gone-${r}-${b}`
    names.push(name)
    await work.git('checkout', '-q', '-B', name, 'main')
    let files: Record<string, string> = {}
    const commits: Gone[] = []
    for (let k = 0; k < 2; k++) {
      const changes: Record<string, string> = { [`${name}/c${k}.txt`]: content(`${name} ${k}`) }
      for (let j = 0; j < 3; j++) changes[pick(PATHS)] = content(`${name} ${k} ${j}`)
      files = { ...files, ...changes }
      const oid = await work.commit(changes, `${name} commit ${k}`)
      commits.push({ oid, tree: await work.rev(`${oid}^{tree}`), files })
    }
    if (b % 2 === 0) targets.push(...commits)
  }
  await git(work.dir, ['push', '-q', stack.remote(project), ...names])
  // built on deleted commits, never pushed: their packs carry the deleted history again
  for (const target of targets.filter((_, i) => i % 2 === 1)) {
    await work.git('checkout', '-q', '--detach', target.oid)
    built.push(await work.commit({ 'built.txt': content('built') }, `built on ${target.oid}`))
  }
  await work.git('checkout', '-q', 'main')
  if (r % 2 === 0) for (const name of names) await stack.client.branches.delete({ project, name })
  else await git(work.dir, ['push', '-q', '--delete', stack.remote(project), ...names])
  return { targets, built }
}

/** The kinds of writer of round `r`, each reaching for the deleted branches' objects. */
function writers({
  project,
  r,
  targets,
  built,
  collecting,
}: {
  project: string
  r: number
  targets: Gone[]
  built: string[]
  collecting: () => boolean
}) {
  const user = { project, userId: `restorer-${r}` }
  const restore = writer({
    kind: 'restore',
    collecting,
    max: 8,
    random,
    write: async (i) => {
      // a branch of main given a deleted commit's files as pending changes, committed at once:
      // its tree is the deleted commit's tree, and every tree and blob of it exists as garbage
      const target = pick(targets)
      const name = `restore-${r}-${i}`
      try {
        await stack.client.branches.create({ project, name, from: 'main' })
        for (const [path, text] of Object.entries(target.files))
          await stack.client.pending.save({ ...user, path, content: text })
        const { commit } = await stack.client.commits.create({
          ...user,
          message: `restore ${target.oid}`,
          author: AUTHOR,
          branch: name,
        })
        return { ref: { name: `refs/heads/${name}`, oid: commit }, tree: target.tree }
      } catch (err) {
        await stack.client.pending.discardAll(user).catch(() => {})
        throw err
      }
    },
  })
  const revive = writer({
    kind: 'revive',
    collecting,
    max: 15,
    random,
    write: async (i) => {
      // a push of a deleted commit with an empty pack: git sends nothing the server has
      const { oid } = pick(targets)
      const name = `refs/heads/revive-${r}-${i}`
      const { report, messages } = await rawPush({
        server: stack.server,
        apiKey: KEY,
        project,
        commands: [`${ZERO} ${oid} ${name}`],
        pack: emptyPack,
        caps: 'report-status side-band-64k',
      })
      if (report[1] !== `ok ${name}`)
        throw new Error([...report, ...messages.map((m) => m.trim())].join('; '))
      return { ref: { name, oid } }
    },
  })
  const push = writer({
    kind: 'push',
    collecting,
    max: 4,
    random,
    write: async (i) => {
      const oid = i < built.length ? built[i] : pick(targets).oid
      const name = `refs/heads/pushed-${r}-${i}`
      await git(work.dir, ['push', '-q', stack.remote(project), `${oid}:${name}`])
      return { ref: { name, oid } }
    },
  })
  const branch = writer({
    kind: 'branch',
    collecting,
    max: 15,
    random,
    write: async (i) => {
      const { oid } = pick(targets)
      const name = `at-${r}-${i}`
      await stack.client.branches.create({ project, name, from: oid })
      return { ref: { name: `refs/heads/${name}`, oid } }
    },
  })
  const tag = writer({
    kind: 'tag',
    collecting,
    max: 15,
    random,
    write: async (i) => {
      const { oid } = pick(targets)
      const name = `t-${r}-${i}`
      const annotated = i % 2 === 0
      const made = await stack.client.tags.create({
        project,
        name,
        target: oid,
        ...(annotated ? { message: `tag ${name}`, tagger: AUTHOR } : {}),
      })
      return { ref: { name: `refs/tags/${name}`, oid: annotated ? made.oid : oid } }
    },
  })
  return Promise.all([restore, revive, push, branch, tag]).then((all) => all.flat())
}

describe('maintenance racing pushes and commits that reach for its garbage', () => {
  const totals = { deleted: 0, rescued: 0, ok: 0, failed: 0, overlapped: 0 }

  for (let r = 0; r < ROUNDS; r++) {
    it(`round ${r}: no ref ends pointing at a missing object`, async () => {
      const project = `race-${r}`
      await stack.client.projects.create(project)
      await git(work.dir, ['push', '-q', stack.remote(project), 'main'])
      const repoId = (await stack.store.getRepo(project))!.repoId
      const { targets, built } = await makeGarbage(project, r)
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
      const [gc, ops] = await Promise.all([
        collector,
        writers({ project, r, targets, built, collecting: () => collecting }),
      ])

      const overlapped = ops.filter((op) => op.start < gc.end && op.end > gc.start)
      const failed = ops.filter((op) => op.error)
      console.log(
        `round ${r}: collector ${Math.round(gc.end - gc.start)} ms, deleted ${gc.report.gc.deleted},` +
          ` rescued ${gc.report.gc.rescued}; ${ops.length} writes, ${overlapped.length} during` +
          ` collection, ${failed.length} failed${failed.length ? `: ${summarise(failed)}` : ''}`,
      )
      totals.deleted += gc.report.gc.deleted
      totals.rescued += gc.report.gc.rescued
      totals.ok += ops.length - failed.length
      totals.failed += failed.length
      totals.overlapped += overlapped.length
      expect(overlapped.length).toBeGreaterThan(0)

      // a ref whose history is not all stored: which write set it, and when
      const broken = await brokenRefs({ store: stack.store, repoId })
      for (const [name, missing] of Object.entries(broken)) {
        const op = ops.find((o) => o.ref?.name === name)
        const at = (t: number) => `${Math.round(t - gc.start)} ms`
        console.log(
          `round ${r}: ${name} lacks ${missing.length} objects (${missing[0]}, ...); set by ` +
            (op ? `${op.kind} from ${at(op.start)} to ${at(op.end)}` : 'no write of this round') +
            ` of a collection that ran to ${at(gc.end)}`,
        )
      }
      expect(broken).toEqual({})
      // a write may fail, but cleanly: the server says why
      for (const op of failed) expect(op.error).not.toMatch(/^5\d\d |internal error/)

      const clone = join(stack.tmp, `clone-${r}`)
      const served = await checkServed({
        store: stack.store,
        repoId,
        url: stack.remote(project),
        dir: clone,
      })
      for (const op of ops.filter((o) => o.ref))
        expect(served.refs.get(op.ref!.name)).toBe(op.ref!.oid)
      for (const op of ops.filter((o) => o.tree)) {
        const tree = (await gitOutput(clone, ['rev-parse', `${op.ref!.oid}^{tree}`])).trim()
        expect(tree).toBe(op.tree)
      }

      // a quiet run afterwards leaves exactly what the refs reach
      await maintain({ store: stack.store, repoId, options: { prune: 'now' } })
      expect(await brokenRefs({ store: stack.store, repoId })).toEqual({})
      const stored = [...(await storedIds(stack.store, repoId))].sort()
      expect(stored).toEqual([...served.reachable].sort())
    })
  }

  it('collected and wrote during collection over the rounds', () => {
    console.log(`maintenance race totals (seed ${SEED}): ${JSON.stringify(totals)}`)
    expect(totals.deleted).toBeGreaterThan(0)
    // writers reached for objects the collector had found unreachable: its re-check kept them
    expect(totals.rescued).toBeGreaterThan(0)
    expect(totals.ok).toBeGreaterThan(0)
    expect(totals.overlapped).toBeGreaterThanOrEqual(ROUNDS)
  })
})
