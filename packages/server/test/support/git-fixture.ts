import { execFileSync } from 'node:child_process'
import {
  mkdtempSync,
  mkdirSync,
  rmSync,
  writeFileSync,
  chmodSync,
  symlinkSync,
  unlinkSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

/** A throwaway repository built with the git CLI, with fixed identities and dates. */
export class GitFixture {
  readonly dir: string
  #tick = 0

  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'gitpg-fixture-'))
    this.git('init', '-q', '-b', 'main')
  }

  git(...args: string[]): string {
    const date = `${1_700_000_000 + this.#tick * 60} +0100`
    return execFileSync('git', args, {
      cwd: this.dir,
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'Fixture Author',
        GIT_AUTHOR_EMAIL: 'author@example.com',
        GIT_COMMITTER_NAME: 'Fixture Committer',
        GIT_COMMITTER_EMAIL: 'committer@example.com',
        GIT_AUTHOR_DATE: date,
        GIT_COMMITTER_DATE: date,
        GIT_CONFIG_NOSYSTEM: '1',
        HOME: this.dir,
      },
      maxBuffer: 64 * 1024 * 1024,
    }).toString()
  }

  write(path: string, content: string | Buffer, { executable = false } = {}) {
    const file = join(this.dir, path)
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(file, content)
    if (executable) chmodSync(file, 0o755)
  }

  chmod(path: string, mode: number) {
    chmodSync(join(this.dir, path), mode)
  }

  symlink(path: string, target: string) {
    const file = join(this.dir, path)
    mkdirSync(dirname(file), { recursive: true })
    symlinkSync(target, file)
  }

  remove(path: string) {
    unlinkSync(join(this.dir, path))
  }

  commit(message: string): string {
    this.#tick++
    this.git('add', '-A')
    this.git('commit', '-q', '--allow-empty', '-m', message)
    return this.git('rev-parse', 'HEAD').trim()
  }

  /** Every object of the repository as one pack. */
  pack(): Buffer {
    const objects = this.git('rev-list', '--objects', '--all')
    return execFileSync('git', ['pack-objects', '--stdout', '-q'], {
      cwd: this.dir,
      input:
        objects
          .split('\n')
          .map((l) => l.split(' ')[0])
          .filter(Boolean)
          .join('\n') + '\n',
      maxBuffer: 64 * 1024 * 1024,
    })
  }

  /** refs/heads/* and refs/tags/* with their object ids. */
  refs(): { name: string; oid: string }[] {
    return this.git('for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads', 'refs/tags')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => {
        const [name, oid] = l.split(' ')
        return { name, oid }
      })
  }

  cleanup() {
    rmSync(this.dir, { recursive: true, force: true })
  }
}
