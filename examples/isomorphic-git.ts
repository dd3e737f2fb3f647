// isomorphic-git on a repository gitpg stores: `createPgFs` gives isomorphic-git an fs whose git
// directory is the project's rows in PostgreSQL. Run it on a project of your gitpg database:
//
//   pnpm example:isomorphic-git <project>
//
// (DATABASE_URL as the server takes it; without it, the embedded PostgreSQL in GITPG_DATA_DIR.)
import { realpathSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import git from 'isomorphic-git'
import type { Database } from '@gitpg/git-pg-fs'
import { PostgresStore, createPgFs, type PgFs } from '@gitpg/git-pg-fs'
import { loadConfig, openDatabase, startEmbeddedPostgres } from '@gitpg/server'

const gitdir = '/repo.git'

export interface Tour {
  /** the last commits of the branch, newest first: `git log` */
  log: { oid: string; message: string }[]
  /** every file of the branch's tree: `git ls-tree -r --name-only` */
  files: string[]
  /** the first file's content: `git show <branch>:<path>` */
  firstFile: { path: string; content: string }
  /** the commit made on a new branch `tour`, adding `TOUR.md`, without a work tree */
  commit: string
  /** the merge commit of `tour` into the branch */
  merge: string
}

/**
 * Runs isomorphic-git's `log`, `walk`, `readBlob`, `commit` and `merge` over the project `name`
 * in the store: reads the branch, commits `TOUR.md` on a branch of its own, and merges it back
 * with a merge commit (stock git then clones and fetches the result from gitpg).
 *
 * @example
 * const tour = await tourProject({ store, name: 'docs', branch: 'main' })
 */
export async function tourProject({
  store,
  name,
  branch,
}: {
  store: PostgresStore
  name: string
  branch: string
}): Promise<Tour> {
  const repo = await store.getRepo(name)
  if (!repo) throw new Error(`no project ${name}`)
  const fs: PgFs = createPgFs({ store, repoId: repo.repoId, gitdir })
  const author = { name: 'Tour Guide', email: 'guide@example.com' }

  const log = (await git.log({ fs, gitdir, ref: branch, depth: 5 })).map((c) => ({
    oid: c.oid,
    message: c.commit.message.trim(),
  }))

  // walk: every blob of the branch's tree (a map that returns nothing for a tree keeps descending)
  const files = (await git.walk({
    fs,
    gitdir,
    trees: [git.TREE({ ref: branch })],
    map: async (path, [entry]) => ((await entry?.type()) === 'blob' ? path : undefined),
  })) as string[]

  const first = files[0]
  const { blob } = await git.readBlob({ fs, gitdir, oid: log[0].oid, filepath: first })

  // commit without a work tree: a new blob, the branch's tree with it added, a commit on `tour`
  const head = log[0].oid
  const { tree: entries } = await git.readTree({ fs, gitdir, oid: head })
  const note = await git.writeBlob({
    fs,
    gitdir,
    blob: Buffer.from(`# Tour\n\n${files.length} files\n`),
  })
  const tree = await git.writeTree({
    fs,
    gitdir,
    tree: [
      ...entries.filter((e) => e.path !== 'TOUR.md'),
      { mode: '100644', path: 'TOUR.md', oid: note, type: 'blob' },
    ],
  })
  await git.branch({ fs, gitdir, ref: 'tour', object: head, force: true })
  const commit = await git.commit({
    fs,
    gitdir,
    ref: 'refs/heads/tour',
    message: 'Add the tour',
    author,
    tree,
    parent: [head],
  })

  // merge `tour` into the branch, as a merge commit (no fast-forward)
  const merged = await git.merge({
    fs,
    gitdir,
    ours: branch,
    theirs: 'tour',
    fastForward: false,
    message: `Merge branch 'tour' into ${branch}`,
    author,
  })
  return {
    log,
    files,
    firstFile: { path: first, content: Buffer.from(blob).toString() },
    commit,
    merge: merged.oid!,
  }
}

async function main(name: string | undefined, branch = 'main') {
  if (!name) throw new Error('usage: isomorphic-git.ts <project> [<branch>]')
  const config = loadConfig({ env: process.env, cwd: process.env.INIT_CWD ?? process.cwd() })
  const embedded = config.databaseUrl ? null : await startEmbeddedPostgres(config)
  const db: Database = openDatabase(config, embedded)
  try {
    const tour = await tourProject({ store: new PostgresStore({ db }), name, branch })
    for (const c of tour.log) console.log(`${c.oid.slice(0, 7)} ${c.message.split('\n')[0]}`)
    console.log(
      `${tour.files.length} files; ${tour.firstFile.path}: ${tour.firstFile.content.length} bytes`,
    )
    console.log(`committed ${tour.commit.slice(0, 7)} on tour, merged as ${tour.merge.slice(0, 7)}`)
  } finally {
    await db.close()
    await embedded?.close()
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  main(process.argv[2], process.argv[3]).catch((err: Error) => {
    console.error(err.message)
    process.exit(1)
  })
}
