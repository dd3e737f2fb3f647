import { mkdtempSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import {
  Database,
  GIT_MIGRATIONS_DIR,
  migrate,
  PostgresStore,
  preparePack,
  repack,
  Repository,
  type Marked,
  type ObjectType,
} from '../../packages/git-pg-fs/src/index.ts'
import { none, noTarget, ratioAtMost, type Report } from '../lib/report.ts'
import { git, run } from '../lib/run-command.ts'

const MB = 1024 * 1024
const FILES = 10
const FILE_BYTES = 128 * 1024
const COMMITS = 200

/** A 128 KB text whose line `line` says `version`. */
function fileText(file: number, version: number, line: number): Buffer {
  const lines = Array.from({ length: FILE_BYTES / 64 }, (_, i) =>
    `file ${file} line ${i} `.padEnd(63, 'abcdefghij'.charAt(i % 10)),
  )
  lines[line % lines.length] = `file ${file} version ${version}`.padEnd(63, '.')
  return Buffer.from(`${lines.join('\n')}\n`)
}

/** `git_objects` as PostgreSQL sizes it (after `vacuum`), and the bytes and rows it holds. */
async function objectsSize(db: Database, vacuum: 'VACUUM' | 'VACUUM FULL') {
  await db.query(`${vacuum} git_objects`)
  const { rows } = await db.query<{ total: string; data: string; n: string }>(
    `SELECT pg_total_relation_size('git_objects') AS total,
       (SELECT sum(octet_length(data)) FROM git_objects) AS data,
       (SELECT count(*) FROM git_objects) AS n`,
  )
  return { total: Number(rows[0].total), data: Number(rows[0].data), rows: Number(rows[0].n) }
}

/** What a walk from the refs of the on-disk repository `dir` reaches, in git's order. */
async function markedFromGit(dir: string): Promise<Marked> {
  const listed = (await run('git', ['rev-list', '--objects', '--all'], { cwd: dir })).toString()
  const entries = listed
    .split('\n')
    .filter(Boolean)
    .map((l) => ({ oid: l.slice(0, 40), path: l.slice(41) }))
  const checked = await git(
    dir,
    ['cat-file', '--batch-check'],
    entries.map((e) => `${e.oid}\n`).join(''),
  )
  const types = new Map(
    checked.split('\n').map((l) => [l.slice(0, 40), l.split(' ')[1] as ObjectType]),
  )
  const reachable: Marked['reachable'] = new Map()
  entries.forEach(({ oid, path }, rank) => {
    if (!reachable.has(oid)) reachable.set(oid, { oid, type: types.get(oid)!, path, rank })
  })
  return { reachable, tips: new Map() }
}

/**
 * Storage of API commits before and after repack: 200 commits, each changing one line of ten
 * 128 KB files, against `git gc`'s pack of the same history. Runs in-process on a database of its
 * own (the first commit is the baseline: growth is what the 200 commits add).
 */
export async function benchMaintenance({
  report,
  databaseUrl,
  work,
}: {
  report: Report
  databaseUrl: string
  work: string
}): Promise<void> {
  const db = new Database({ connectionString: databaseUrl })
  const dir = mkdtempSync(join(work, 'maintenance-'))
  try {
    await migrate({ db, scope: 'git', dir: GIT_MIGRATIONS_DIR })
    const store = new PostgresStore({ db })
    const { repo: record } = await store.createRepo({ name: 'maintenance' })
    const repoId = record.repoId
    const repo = new Repository({ store, repoId, name: 'maintenance', defaultBranch: 'main' })
    const commit = (version: number) =>
      repo.commit({
        branch: 'main',
        message: `version ${version}`,
        author: { name: 'Ada', email: 'ada@example.com', timestamp: 1_700_000_000 + version },
        changes: Array.from({ length: FILES }, (_, f) => ({
          path: `docs/file${f}.txt`,
          action: 'write' as const,
          content: fileText(f, version, version * 31 + f * 7),
        })),
      })
    await commit(0)
    const base = await objectsSize(db, 'VACUUM FULL')
    for (let v = 1; v <= COMMITS; v++) await commit(v)
    const grown = await objectsSize(db, 'VACUUM')

    // git's side: the same history, exported as a clone gets it, then `git gc`
    const head = (await store.readRef(repoId, 'refs/heads/main'))!.oid!
    const pack = await preparePack({ store, repoId, wants: [head] })
    const chunks: Buffer[] = []
    for await (const chunk of pack.stream) chunks.push(chunk)
    await git(work, ['init', '-q', '--bare', dir])
    // loose, as commits made with git leave them: `git gc` searches deltas for all of them
    await run('git', ['unpack-objects', '-q'], { cwd: dir, input: Buffer.concat(chunks) })
    await git(dir, ['update-ref', 'refs/heads/main', head])
    const first = await run('git', ['pack-objects', '--revs', '--stdout', '-q'], {
      cwd: dir,
      input: `${head}~${COMMITS}\n`,
    })
    await git(dir, ['gc', '-q', '--prune=now'])
    const counted = await git(dir, ['count-objects', '-v'])
    const gitGrowth = Number(/size-pack: (\d+)/.exec(counted)![1]) * 1024 - first.length

    const started = performance.now()
    const done = await repack({
      store,
      repoId,
      marked: await markedFromGit(dir),
      options: { prune: 'never' },
    })
    const repackMs = performance.now() - started
    const vacuumed = await objectsSize(db, 'VACUUM')
    const full = await objectsSize(db, 'VACUUM FULL')
    const growth = (s: typeof base) => ({ value: (s.total - base.total) / MB })
    const detail = (s: typeof base) =>
      `data ${((s.data - base.data) / MB).toFixed(2)} MB in ${s.rows - base.rows} rows`
    const gitCell = { value: gitGrowth / MB }
    const op = `git_objects growth, ${COMMITS} API commits × ${FILES} files of 128 KB`
    report.add({
      operation: `${op}, before repack`,
      unit: 'MB',
      gitpg: growth(grown),
      git: gitCell,
      target: noTarget,
      notes: detail(grown),
    })
    report.add({
      operation: `${op}, repack + VACUUM`,
      unit: 'MB',
      gitpg: growth(vacuumed),
      git: gitCell,
      target: noTarget,
      notes: detail(vacuumed),
    })
    report.add({
      operation: `${op}, repack + VACUUM FULL`,
      unit: 'MB',
      gitpg: growth(full),
      git: gitCell,
      target: ratioAtMost(1.5),
      notes: 'git: git gc pack growth',
    })
    report.add({
      operation: 'repack time',
      unit: 's',
      gitpg: { value: repackMs / 1000 },
      git: none,
      target: noTarget,
      notes: `${done.deltified} of ${done.considered} whole objects deltified`,
    })
  } finally {
    await db.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
