import { mkdir, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { git, gitOutput, lines } from './git-cli.ts'

/**
 * A git work tree for tests that commit with the real CLI at fixed dates, so ids repeat from run
 * to run. `commit` writes (or with null deletes) files and commits them on the current branch.
 *
 * @example
 * const work = await WorkRepo.init(join(tmp, 'work'))
 * const tip = await work.commit({ 'a.txt': 'a\n' }, 'add a')
 */
export class WorkRepo {
  readonly dir: string
  #tick = 0

  private constructor(dir: string) {
    this.dir = dir
  }

  static async init(dir: string): Promise<WorkRepo> {
    await mkdir(dir, { recursive: true })
    await git(dir, ['init', '-q', '-b', 'main'])
    return new WorkRepo(dir)
  }

  /** git in the work tree, at the next fixed date */
  git(...args: string[]): Promise<string> {
    const date = `@${1_700_000_000 + this.#tick++ * 60} +0000`
    return gitOutput(this.dir, args, {
      env: {
        GIT_AUTHOR_NAME: 'Work Author',
        GIT_AUTHOR_EMAIL: 'work@example.com',
        GIT_COMMITTER_NAME: 'Work Author',
        GIT_COMMITTER_EMAIL: 'work@example.com',
        GIT_AUTHOR_DATE: date,
        GIT_COMMITTER_DATE: date,
      },
    })
  }

  /** Writes or deletes `files`, commits them all and returns the commit id. */
  async commit(files: Record<string, string | null>, message: string): Promise<string> {
    for (const [path, content] of Object.entries(files)) {
      const file = join(this.dir, path)
      if (content === null) await rm(file, { force: true })
      else {
        await mkdir(dirname(file), { recursive: true })
        await writeFile(file, content)
      }
    }
    await this.git('add', '-A')
    await this.git('commit', '-q', '--allow-empty', '-m', message)
    return this.rev('HEAD')
  }

  async rev(rev: string): Promise<string> {
    return (await this.git('rev-parse', '--verify', `${rev}^{object}`)).trim()
  }

  /** `git rev-list --objects` ids of `revs` (`^x` excludes what x reaches). */
  async objects(...revs: string[]): Promise<string[]> {
    const out = await this.git('rev-list', '--objects', ...revs, '--')
    return lines(out).map((l) => l.slice(0, 40))
  }
}
