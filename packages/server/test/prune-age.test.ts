import { describe, expect, it } from 'vitest'
import { parsePruneAge } from '../src/domain/prune-age.ts'

const NOW = new Date('2026-01-15T00:00:00Z')
const ago = (seconds: number) => new Date(NOW.getTime() - seconds * 1000)

describe('parsePruneAge', () => {
  it.each([
    ['now', 'now'],
    ['NOW', 'now'],
    ['never', 'never'],
    ['2.weeks.ago', ago(14 * 86400)],
    ['2 weeks ago', ago(14 * 86400)],
    ['14.days', ago(14 * 86400)],
    ['1.day.ago', ago(86400)],
    ['2w', ago(14 * 86400)],
    ['12h', ago(12 * 3600)],
    ['90.minutes.ago', ago(90 * 60)],
    ['30s', ago(30)],
    ['3.months.ago', ago(90 * 86400)],
    ['2026-01-01', new Date('2026-01-01T00:00:00Z')],
    ['2026-01-01T12:30:00Z', new Date('2026-01-01T12:30:00Z')],
  ] as const)('%s', (value, expected) => {
    expect(parsePruneAge(value, NOW)).toEqual(expected)
  })

  it.each([
    '',
    'soon',
    '2.fortnights.ago',
    '12',
    'weeks',
    '2026-13-45',
    '-1.day',
    // past what a date can hold: no moment, not an age
    '99999999999999999999.years.ago',
    `${'9'.repeat(400)}.days`,
  ])('refuses %j', (value) => {
    expect(parsePruneAge(value, NOW)).toBeNull()
  })
})
