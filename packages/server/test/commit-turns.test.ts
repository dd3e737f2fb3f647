import { describe, expect, it } from 'vitest'
import { CommitTurns } from '../src/domain/commit-turns.ts'

describe('CommitTurns', () => {
  it('runs one task a key at a time, in order, and tells each whether one came before it', async () => {
    const turns = new CommitTurns()
    const log: string[] = []
    let release!: () => void
    const first = turns.run('r:main', async (waited) => {
      log.push(`first ${waited}`)
      await new Promise<void>((resolve) => (release = resolve))
      log.push('first done')
    })
    const second = turns.run('r:main', async (waited) => {
      log.push(`second ${waited}`)
    })
    const other = turns.run('r:dev', async (waited) => {
      log.push(`other ${waited}`)
    })
    await other
    expect(log).toEqual(['first false', 'other false'])
    release()
    await Promise.all([first, second])
    expect(log).toEqual(['first false', 'other false', 'first done', 'second true'])
    expect(turns.size).toBe(0)
    await turns.run('r:main', async (waited) => log.push(`third ${waited}`))
    expect(log.at(-1)).toBe('third false')
  })
})
