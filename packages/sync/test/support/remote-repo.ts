import { execFileSync } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

let tick = 0

function run(cwd: string, args: readonly string[]): string {
  const date = `${1_700_000_000 + tick++ * 60} +0000`
  return execFileSync('git', args, {
    cwd,
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Remote Author',
      GIT_AUTHOR_EMAIL: 'remote@example.com',
      GIT_COMMITTER_NAME: 'Remote Author',
      GIT_COMMITTER_EMAIL: 'remote@example.com',
      GIT_AUTHOR_DATE: date,
      GIT_COMMITTER_DATE: date,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      LC_ALL: 'C',
    },
    maxBuffer: 256 * 1024 * 1024,
  }).toString()
}

/**
 * A bare repository `<root>/<name>.git` made with the git CLI (push over HTTP enabled), with a
 * work tree next to it for making commits there.
 */
export class RemoteRepo {
  readonly bare: string
  readonly work: string
  readonly name: string

  constructor(root: string, name: string) {
    this.name = name
    this.bare = join(root, `${name}.git`)
    this.work = join(root, `${name}-work`)
    mkdirSync(dirname(this.bare), { recursive: true })
    run(root, ['init', '-q', '--bare', '-b', 'main', this.bare])
    run(this.bare, ['config', 'http.receivepack', 'true'])
    run(root, ['init', '-q', '-b', 'main', this.work])
    run(this.work, ['remote', 'add', 'origin', this.bare])
  }

  /** git in the bare repository */
  git(...args: string[]): string {
    return run(this.bare, args)
  }

  /** git in the work tree */
  workGit(...args: string[]): string {
    return run(this.work, args)
  }

  /**
   * Writes (or with null deletes) files on top of the bare repository's `branch`, commits and
   * pushes it; returns the commit.
   */
  commit(files: Record<string, string | Buffer | null>, message: string, branch = 'main'): string {
    run(this.work, ['fetch', '-q', 'origin'])
    const upstream = run(this.work, ['branch', '-r', '--list', `origin/${branch}`]).trim() !== ''
    if (upstream) run(this.work, ['checkout', '-q', '-B', branch, `origin/${branch}`])
    else if (run(this.work, ['branch', '--show-current']).trim() !== branch)
      run(this.work, ['checkout', '-q', '-b', branch])
    for (const [path, content] of Object.entries(files)) {
      const file = join(this.work, path)
      if (content === null) rmSync(file)
      else {
        mkdirSync(dirname(file), { recursive: true })
        writeFileSync(file, content)
      }
    }
    run(this.work, ['add', '-A'])
    run(this.work, ['commit', '-q', '--allow-empty', '-m', message])
    run(this.work, ['push', '-q', 'origin', `${branch}:${branch}`])
    return run(this.work, ['rev-parse', 'HEAD']).trim()
  }

  /** Commit ids of `git rev-list <ref>` in the bare repository, newest first. */
  revList(ref = 'main'): string[] {
    return run(this.bare, ['rev-list', ref]).split('\n').filter(Boolean)
  }

  head(ref = 'main'): string {
    return run(this.bare, ['rev-parse', ref]).trim()
  }
}
