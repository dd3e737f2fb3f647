import { randomBytes } from 'node:crypto'
import { mkdir, open, readFile, readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { alive } from './postgres-cluster.ts'

/**
 * The record of who uses a data dir's embedded PostgreSQL: one file per user (a server or a CLI
 * command) in `<dataDir>/leases`, named `<pid>.<random>`. A lease whose process is gone (it
 * crashed) no longer counts. A lock file serialises starting and stopping.
 */
export class Leases {
  readonly #dir: string
  readonly #lockFile: string

  constructor(dataDir: string) {
    this.#dir = join(dataDir, 'leases')
    this.#lockFile = join(dataDir, 'postgres.lock')
  }

  /**
   * Runs `fn` while holding the data dir's lock; waits for another holder, and takes over a
   * lock whose holder died.
   */
  async locked<T>(fn: () => Promise<T>, timeoutMs = 120_000): Promise<T> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      try {
        const handle = await open(this.#lockFile, 'wx')
        await handle.writeFile(String(process.pid))
        await handle.close()
        break
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
        const holder = Number((await readFile(this.#lockFile, 'utf8').catch(() => '')).trim())
        if (holder && !alive(holder)) {
          await rm(this.#lockFile, { force: true })
          continue
        }
        if (Date.now() > deadline)
          throw new Error(
            `the embedded database is locked by process ${holder} (${this.#lockFile})`,
          )
        await delay(50)
      }
    }
    try {
      return await fn()
    } finally {
      await rm(this.#lockFile, { force: true })
    }
  }

  /** Adds a lease for this process; returns its id. Call inside `locked`. */
  async add(): Promise<string> {
    await mkdir(this.#dir, { recursive: true })
    const id = `${process.pid}.${randomBytes(4).toString('hex')}`
    const handle = await open(join(this.#dir, id), 'wx')
    await handle.close()
    return id
  }

  /** Removes lease `id`. Call inside `locked`. */
  async remove(id: string): Promise<void> {
    await rm(join(this.#dir, id), { force: true })
  }

  /** The leases of live processes; those of dead ones are removed. Call inside `locked`. */
  async live(): Promise<string[]> {
    const names = await readdir(this.#dir).catch(() => [] as string[])
    const kept: string[] = []
    for (const name of names) {
      if (alive(Number(name.split('.')[0]))) kept.push(name)
      else await rm(join(this.#dir, name), { force: true })
    }
    return kept
  }
}
