import pino from 'pino'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { PostgresStore } from '@gitpg/git-pg-fs'
import { MaintenanceJob } from '../src/maintenance/maintenance-job.ts'

afterEach(() => vi.useRealTimers())

const DAY = 86_400_000

/** A job on `intervalMs` whose passes are counted (none touches a database). */
function countedJob(intervalMs: number) {
  const job = new MaintenanceJob({
    store: {} as PostgresStore,
    logger: pino({ level: 'silent' }),
    intervalMs,
    pruneExpire: 'now',
    batchSize: 1000,
    pauseMs: 0,
  })
  const passes = vi.spyOn(job, 'runOnce').mockResolvedValue({
    ran: true,
    maintained: 0,
    skipped: 0,
    failed: 0,
    deletionsFinished: 0,
  })
  return { job, passes }
}

describe('MaintenanceJob schedule', () => {
  it.each([
    ['an hour', 3_600_000],
    ['30 days (past what one timer can wait)', 30 * DAY],
    ['a year', 365 * DAY],
  ])(
    'runs a first pass after a minute, then one every interval of %s',
    async (_, every) => {
      vi.useFakeTimers()
      const { job, passes } = countedJob(every)
      job.start()
      await vi.advanceTimersByTimeAsync(60_000)
      expect(passes).toHaveBeenCalledTimes(1)
      await vi.advanceTimersByTimeAsync(every - 1000)
      expect(passes).toHaveBeenCalledTimes(1)
      await vi.advanceTimersByTimeAsync(1000)
      expect(passes).toHaveBeenCalledTimes(2)
      await job.close()
    },
    10_000,
  )
})
