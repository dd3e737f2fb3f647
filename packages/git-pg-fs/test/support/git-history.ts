import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { importPack, type PostgresStore } from '../../src/index.ts'
import { git, gitOutput, gitRefs, lines } from '../../../../test/support/git-cli.ts'

/** A non-bare git repository in a temporary directory, committing with fixed dates. */
export class GitHistory {
  readonly dir: string
  #time = 1_700_000_000

  private constructor(dir: string) {
    this.dir = dir
  }

  static async create(): Promise<GitHistory> {
    const dir = await mkdtemp(join(tmpdir(), 'gitpg-gc-'))
    await git(dir, ['init', '-q', '-b', 'main'])
    return new GitHistory(dir)
  }

  /** Writes `files` (path → content), commits every change, and returns the commit's id. */
  async commit(files: Record<string, string | Buffer>, message = 'change'): Promise<string> {
    for (const [path, content] of Object.entries(files)) {
      await mkdir(dirname(join(this.dir, path)), { recursive: true })
      await writeFile(join(this.dir, path), content)
    }
    await this.git(['add', '-A'])
    await this.git(['commit', '-q', '--allow-empty', '-m', message])
    return (await this.git(['rev-parse', 'HEAD'])).trim()
  }

  git(args: readonly string[]): Promise<string> {
    this.#time += 60
    const date = `@${this.#time} +0000`
    return gitOutput(this.dir, args, {
      env: {
        GIT_AUTHOR_NAME: 'A',
        GIT_AUTHOR_EMAIL: 'a@example.com',
        GIT_AUTHOR_DATE: date,
        GIT_COMMITTER_NAME: 'A',
        GIT_COMMITTER_EMAIL: 'a@example.com',
        GIT_COMMITTER_DATE: date,
      },
    })
  }

  /** `git rev-list --objects --all`: id → path ('' for commits and root trees). */
  async reachable(): Promise<Map<string, string>> {
    const out = await this.git(['rev-list', '--objects', '--all'])
    return new Map(lines(out).map((l) => [l.slice(0, 40), l.slice(41)]))
  }

  /** Imports every object reachable from any ref into `repoId`, then sets its refs as git has them. */
  async importInto({ store, repoId }: { store: PostgresStore; repoId: number }): Promise<void> {
    const pack = await git(this.dir, ['pack-objects', '--all', '--stdout', '-q'], { input: '' })
    const existing = await store.listRefs(repoId, 'refs/')
    const refs = await gitRefs(this.dir)
    const names = new Set(refs.map((r) => r.name))
    await importPack({
      store,
      repoId,
      pack,
      refUpdates: [
        ...refs.map((r) => ({ name: r.name, oid: r.oid })),
        ...existing.filter((r) => !names.has(r.name)).map((r) => ({ name: r.name, oid: null })),
      ],
    })
  }

  remove(): Promise<void> {
    return rm(this.dir, { recursive: true, force: true })
  }
}
