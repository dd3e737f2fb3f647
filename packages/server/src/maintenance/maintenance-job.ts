import type { Logger } from 'pino'
import { purgeDeletedRepos, type PostgresStore } from '@gitpg/git-pg-fs'
import { maintainProject, pruneBefore } from '../domain/maintenance.ts'
import { dueProjects } from '../store/postgres/maintenance-queries.ts'
import { tryJobLock } from '../store/postgres/job-lock.ts'

/** The session lock that lets one server at a time run the job, across every server. */
export const MAINTENANCE_JOB_LOCK = 'gitpg-maintenance-job'

export interface MaintenanceJobOptions {
  store: PostgresStore
  logger: Logger
  /** 0: `start` does nothing (`runOnce` still runs) */
  intervalMs: number
  /** `GITPG_PRUNE_EXPIRE`: `2.weeks.ago`, `now`, ... */
  pruneExpire: string
  batchSize: number
  pauseMs: number
}

/** What one pass did. */
export interface JobPass {
  /** false when another server's job held the lock: this pass did nothing */
  ran: boolean
  maintained: number
  /** projects a run elsewhere (the CLI, a request) held */
  skipped: number
  /** projects whose run failed (logged; the next pass tries again) */
  failed: number
  deletionsFinished: number
}

/** The first pass of a server comes this soon after it starts (ms). */
const FIRST_PASS_MS = 60_000
/** The longest wait one timer holds (a signed 32-bit number of ms, about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1

const idle = (ran: boolean): JobPass => ({
  ran,
  maintained: 0,
  skipped: 0,
  failed: 0,
  deletionsFinished: 0,
})

/**
 * Background maintenance: on every interval, one server at a time (a session advisory lock),
 * finishes queued project deletions, then maintains every project changed since its last run,
 * longest-waiting first, throttled between batches. `close` stops it between batches.
 *
 * @example
 * const job = new MaintenanceJob({ store, logger, intervalMs: 3_600_000, pruneExpire: '2.weeks.ago', batchSize: 1000, pauseMs: 20 })
 * job.start()
 */
export class MaintenanceJob {
  readonly #options: MaintenanceJobOptions
  readonly #abort = new AbortController()
  #timer: NodeJS.Timeout | null = null
  #running: Promise<JobPass> | null = null

  constructor(options: MaintenanceJobOptions) {
    this.#options = options
  }

  /**
   * Runs a first pass a minute after start (or after one interval, if shorter), so that servers
   * restarted more often than the interval still get one, then a pass every interval; nothing
   * when the interval is 0.
   */
  start(): void {
    const every = this.#options.intervalMs
    if (this.#timer || every <= 0) return
    const next = (ms: number) => {
      // a longer timer would fire at once (Node sets it to 1 ms): the wait goes in pieces
      const wait = Math.min(ms, MAX_TIMER_MS)
      this.#timer = setTimeout(() => {
        if (ms > wait) return next(ms - wait)
        void this.runOnce().finally(() => {
          if (this.#timer) next(every)
        })
      }, wait)
      this.#timer.unref()
    }
    next(Math.min(every, FIRST_PASS_MS))
  }

  /** One pass (joins the one under way); errors are logged and the next pass tries again. */
  runOnce(): Promise<JobPass> {
    this.#running ??= this.#pass()
      .catch((err: unknown) => {
        if (!this.#abort.signal.aborted)
          this.#options.logger.warn({ err }, 'maintenance failed; will retry')
        return idle(true)
      })
      .finally(() => {
        this.#running = null
      })
    return this.#running
  }

  async #pass(): Promise<JobPass> {
    const { store, logger, batchSize, pauseMs } = this.#options
    const signal = this.#abort.signal
    const lock = await tryJobLock(store.db, MAINTENANCE_JOB_LOCK)
    if (!lock) return idle(false)
    const pass = idle(true)
    try {
      const purged = await purgeDeletedRepos({
        db: store.db,
        options: { batchSize, pauseMs, signal },
      })
      pass.deletionsFinished = purged.repos
      if (purged.repos > 0)
        logger.info(
          { projects: purged.repos, rows: purged.rows },
          'maintenance: deletions finished',
        )
      for (const project of await dueProjects(store.executor)) {
        signal.throwIfAborted()
        let report
        try {
          report = await maintainProject({
            store,
            repoId: project.repoId,
            prune: pruneBefore(this.#options.pruneExpire),
            batchSize,
            pauseMs,
            signal,
            // each step and batch, at debug: the summary below is the line that matters
            log: (event, fields) =>
              logger.debug({ ...fields, project: project.name, event }, 'maintenance: step'),
          })
        } catch (err) {
          if (signal.aborted) throw err
          // one project's failure does not hold back the others
          pass.failed += 1
          logger.warn({ err, project: project.name }, 'maintenance: project failed; will retry')
          continue
        }
        if (!report) {
          pass.skipped += 1
          logger.info(
            { project: project.name },
            'maintenance: skipped, a run is under way elsewhere',
          )
          continue
        }
        pass.maintained += 1
        logger.info(
          {
            project: project.name,
            removed: report.gc.deleted,
            bytesFreed: report.gc.bytesFreed,
            repacked: report.repack.deltified,
            bytesSaved: report.repack.bytesBefore - report.repack.bytesAfter,
            archived: report.archive.archived,
            packsWritten: report.archive.packsWritten,
            packsMerged: report.archive.packsMerged,
            ms: report.ms,
          },
          'maintenance: project done',
        )
      }
    } finally {
      await lock.release()
    }
    return pass
  }

  /** Stops the timer and the pass under way (between two batches), and waits for it. */
  async close(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = null
    this.#abort.abort()
    await this.#running
  }
}
