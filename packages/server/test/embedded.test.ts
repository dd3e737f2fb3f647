import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { startServer } from '../src/server.ts'

const dataDir = mkdtempSync(join(tmpdir(), 'gitpg-embedded-'))
afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

const start = async (printed: string[]) =>
  startServer({
    env: { PORT: '0', GITPG_LOG_LEVEL: 'silent' },
    cwd: dataDir,
    print: (line) => printed.push(line),
  })

describe('embedded database (no DATABASE_URL)', () => {
  it('starts on PGlite in GITPG_DATA_DIR, keeps data and key across a restart', async () => {
    const firstOut: string[] = []
    const first = await start(firstOut)
    const key = first.apiKey
    const headers = { 'X-Internal-API-Key': key }
    let commit: string
    try {
      expect(firstOut[1]).toBe(
        `database: embedded PostgreSQL (PGlite) in ${join(dataDir, '.gitpg')}`,
      )
      expect(firstOut.join('\n')).toContain(key)
      expect((await fetch(`${first.url}/health`)).status).toBe(200)
      expect((await fetch(`${first.url}/projects/local`, { method: 'PUT', headers })).status).toBe(
        201,
      )
      const put = await fetch(`${first.url}/files/local/a.md`, {
        method: 'PUT',
        headers,
        body: 'kept\n',
      })
      expect(put.status).toBe(201)
      commit = ((await put.json()) as { commit: string }).commit
      const saved = await fetch(`${first.url}/pending/local/ada/b.md`, {
        method: 'PUT',
        headers,
        body: 'draft',
      })
      expect(saved.status).toBe(200)
      // concurrent requests share the single embedded connection
      const reads = await Promise.all(
        Array.from({ length: 8 }, () =>
          fetch(`${first.url}/files/local/a.md?userId=ada`, { headers }),
        ),
      )
      expect(reads.map((r) => r.status)).toEqual(Array(8).fill(200))
    } finally {
      await first.close()
    }

    const secondOut: string[] = []
    const second = await start(secondOut)
    try {
      expect(second.apiKey).toBe(key)
      expect(secondOut.join('\n')).not.toContain(key)
      const project = await fetch(`${second.url}/projects/local`, { headers })
      expect(((await project.json()) as { head: string }).head).toBe(commit)
      expect(await (await fetch(`${second.url}/files/local/a.md`, { headers })).text()).toBe(
        'kept\n',
      )
      expect(await (await fetch(`${second.url}/pending/local/ada/b.md`, { headers })).text()).toBe(
        'draft',
      )
      const log = (await (await fetch(`${second.url}/projects/local/log`, { headers })).json()) as {
        commits: unknown[]
      }
      expect(log.commits).toHaveLength(1)
    } finally {
      await second.close()
    }
  })

  it('refuses a second server on the same data dir', async () => {
    const first = await start([])
    try {
      await expect(start([])).rejects.toThrow(/in use by process/)
    } finally {
      await first.close()
    }
  })
})
