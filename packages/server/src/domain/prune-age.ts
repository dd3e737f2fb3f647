import type { PruneBefore } from '@gitpg/git-pg-fs'

/** git's `gc.pruneExpire` default. */
export const DEFAULT_PRUNE_EXPIRE = '2.weeks.ago'

const SECONDS: Record<string, number> = {
  s: 1,
  sec: 1,
  second: 1,
  m: 60,
  min: 60,
  minute: 60,
  h: 3600,
  hour: 3600,
  d: 86400,
  day: 86400,
  w: 7 * 86400,
  week: 7 * 86400,
  month: 30 * 86400,
  y: 365 * 86400,
  year: 365 * 86400,
}

/**
 * An age as git's `--prune=<date>` takes it, to the moment objects must have been unreachable
 * before to go: `now`, `never`, `2.weeks.ago`, `2 weeks ago`, `14.days`, `2w`, `12h`, or an ISO
 * date. Null when it is none of these.
 *
 * @example
 * parsePruneAge('2.weeks.ago', new Date('2026-01-15T00:00:00Z')) // 2026-01-01T00:00:00.000Z
 */
export function parsePruneAge(value: string, now: Date): PruneBefore | null {
  const text = value.trim().toLowerCase()
  if (text === 'now' || text === 'all') return 'now'
  if (text === 'never' || text === 'false') return 'never'
  const relative = /^(\d+(?:\.\d+)?)[.\s]*([a-z]+?)s?(?:[.\s]+ago)?$/.exec(text)
  if (relative && SECONDS[relative[2]] !== undefined) {
    const seconds = Number(relative[1]) * SECONDS[relative[2]]
    const at = new Date(now.getTime() - seconds * 1000)
    // an age past what a date can hold is no moment (an invalid date compares false with all)
    return Number.isNaN(at.getTime()) ? null : at
  }
  if (/^\d{4}-\d{2}-\d{2}([t\s][\d:.]+(z|[+-]\d{2}:?\d{2})?)?$/.test(text)) {
    const at = Date.parse(text.toUpperCase().replace(' ', 'T'))
    return Number.isNaN(at) ? null : new Date(at)
  }
  return null
}
