import { execFileSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'

let tick = 0

const ENV = {
  GIT_AUTHOR_NAME: 'Remote Author',
  GIT_AUTHOR_EMAIL: 'remote@example.com',
  GIT_COMMITTER_NAME: 'Remote Author',
  GIT_COMMITTER_EMAIL: 'remote@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  LC_ALL: 'C',
}

function run(cwd: string, args: readonly string[], input?: Buffer): string {
  const date = `${1_700_000_000 + tick++ * 60} +0000`
  return execFileSync('git', args, {
    cwd,
    input,
    env: { ...process.env, ...ENV, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date },
    maxBuffer: 256 * 1024 * 1024,
  }).toString()
}

/** A `git fast-import` data command: the length, then the bytes. */
function data(content: string | Buffer): Buffer[] {
  const bytes = typeof content === 'string' ? Buffer.from(content) : content
  return [Buffer.from(`data ${bytes.length}\n`), bytes, Buffer.from('\n')]
}

/**
 * A bare repository `<root>/<name>.git` made with the git CLI (push over HTTP enabled), with a
 * work tree next to it for making commits there.
 */
export class RemoteRepo {
  readonly bare: string
  readonly work: string
  readonly name: string

  /** the branch `commit` wrote last: a new branch starts from it */
  private last: string | undefined
  private workReady = false

  constructor(root: string, name: string) {
    this.name = name
    this.bare = join(root, `${name}.git`)
    this.work = join(root, `${name}-work`)
    mkdirSync(dirname(this.bare), { recursive: true })
    run(root, ['init', '-q', '--bare', '-b', 'main', this.bare])
    run(this.bare, ['config', 'http.receivepack', 'true'])
  }

  /** git in the bare repository */
  git(...args: string[]): string {
    return run(this.bare, args)
  }

  /** git in the work tree (a clone of the bare repository, made on first use) */
  workGit(...args: string[]): string {
    if (!this.workReady) {
      run(dirname(this.work), ['init', '-q', '-b', 'main', this.work])
      run(this.work, ['remote', 'add', 'origin', this.bare])
      this.workReady = true
    }
    return run(this.work, args)
  }

  /**
   * Writes (or with null deletes) files on top of the bare repository's `branch` and commits
   * them there with one `git fast-import`; returns the commit. A new branch starts from the
   * branch committed to last.
   */
  commit(files: Record<string, string | Buffer | null>, message: string, branch = 'main'): string {
    const ref = `refs/heads/${branch}`
    const exists = run(this.bare, ['for-each-ref', ref]).trim() !== ''
    const base = exists ? branch : this.last
    const ident = `Remote Author <remote@example.com> ${1_700_000_000 + tick++ * 60} +0000`
    const stream: Buffer[] = [
      Buffer.from(`commit ${ref}\nauthor ${ident}\ncommitter ${ident}\n`),
      ...data(`${message}\n`),
    ]
    if (base !== undefined) stream.push(Buffer.from(`from refs/heads/${base}^0\n`))
    for (const [path, content] of Object.entries(files)) {
      if (content === null) stream.push(Buffer.from(`D ${path}\n`))
      else stream.push(Buffer.from(`M 100644 inline ${path}\n`), ...data(content))
    }
    run(this.bare, ['fast-import', '--quiet'], Buffer.concat(stream))
    this.last = branch
    return this.head(branch)
  }

  /** Commit ids of `git rev-list <ref>` in the bare repository, newest first. */
  revList(ref = 'main'): string[] {
    return run(this.bare, ['rev-list', ref]).split('\n').filter(Boolean)
  }

  head(ref = 'main'): string {
    return run(this.bare, ['rev-parse', ref]).trim()
  }
}
