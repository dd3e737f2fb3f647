import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { tmpdir } from 'node:os'
import { describe, expect, it } from 'vitest'
import { SpooledPack } from '../src/pack/spooled-pack.ts'

async function* pieces(bytes: Buffer, size: number) {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size)
}

const spools = () => readdirSync(tmpdir()).filter((d) => d.startsWith('gitpg-push-'))

describe('SpooledPack', () => {
  it('drops released bytes from memory and reads them back from its file', async () => {
    const bytes = randomBytes(12 << 20)
    const before = new Set(spools())
    const pack = new SpooledPack(pieces(bytes, 100_000))
    try {
      expect(await pack.atLeast(9 << 20)).toBe(true)
      pack.release(8 << 20)
      expect(pack.base).toBe(8 << 20)
      expect(pack.data.length).toBeLessThan(4 << 20)
      const made = spools().filter((d) => !before.has(d))
      expect(made).toHaveLength(1)
      // from the file, across file and memory, and from memory
      expect(pack.range(100, 5000).equals(bytes.subarray(100, 5000))).toBe(true)
      const across = pack.range((8 << 20) - 10, (8 << 20) + 10)
      expect(across.equals(bytes.subarray((8 << 20) - 10, (8 << 20) + 10))).toBe(true)
      const inMemory = pack.range(9 << 20, (9 << 20) + 7)
      expect(inMemory.equals(bytes.subarray(9 << 20, (9 << 20) + 7))).toBe(true)
      expect(await pack.atLeast(bytes.length)).toBe(true)
      pack.release(bytes.length - 5)
      expect(pack.range(0, bytes.length).equals(bytes)).toBe(true)
      expect(await pack.more()).toBe(false)
      pack.dispose()
      expect(existsSync(`${tmpdir()}/${made[0]}`)).toBe(false)
    } finally {
      pack.dispose()
    }
  })

  it('reuses its window once a large entry has passed through it', async () => {
    const bytes = randomBytes(6 << 20)
    const pack = new SpooledPack(pieces(bytes, 256 * 1024))
    try {
      expect(await pack.atLeast(5 << 20)).toBe(true)
      const window = pack.data
      pack.release(5 << 20)
      expect(pack.data).toBe(window)
      expect(await pack.atLeast(bytes.length)).toBe(true)
      expect(pack.range(5 << 20, bytes.length).equals(bytes.subarray(5 << 20))).toBe(true)
    } finally {
      pack.dispose()
    }
  })

  it('reads earlier bytes back from the file it streams, writing no file of its own', async () => {
    const bytes = randomBytes(10 << 20)
    const dir = mkdtempSync(join(tmpdir(), 'gitpg-spooled-test-'))
    const file = join(dir, 'pack')
    writeFileSync(file, bytes)
    const before = new Set(spools())
    const pack = new SpooledPack({ file })
    try {
      expect(await pack.atLeast(9 << 20)).toBe(true)
      pack.release(8 << 20)
      expect(pack.base).toBe(8 << 20)
      expect(spools().filter((d) => !before.has(d))).toEqual([])
      expect(pack.range(5, (8 << 20) + 5).equals(bytes.subarray(5, (8 << 20) + 5))).toBe(true)
    } finally {
      pack.dispose()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
