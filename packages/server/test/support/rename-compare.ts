import { execFileSync } from 'node:child_process'
import type { GitFixture } from './git-fixture.ts'
import type { TestApp } from './test-app.ts'

const ENV = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' }

/** Raw output of git in the fixture, bytes kept. */
export function gitBytes(g: GitFixture, args: string[]): Buffer {
  return execFileSync('git', args, {
    cwd: g.dir,
    env: { ...ENV, HOME: g.dir },
    maxBuffer: 1 << 28,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
}

/** `git diff --name-status -z` split into records, paths as hex of their bytes. */
export function gitNameStatus(g: GitFixture, args: string[]): string[] {
  const fields = gitBytes(g, ['diff', '--name-status', '-z', ...args])
    .toString('latin1')
    .split('\0')
  const out: string[] = []
  for (let i = 0; i + 1 < fields.length;) {
    const status = fields[i++]
    const two = status.startsWith('R') || status.startsWith('C')
    const paths = fields
      .slice(i, i + (two ? 2 : 1))
      .map((p) => Buffer.from(p, 'latin1').toString('hex'))
    i += two ? 2 : 1
    out.push([status, ...paths].join(' '))
  }
  return out
}

interface ChangeJson {
  path: string
  pathBytes?: string
  status: string
  oldPath?: string
  oldPathBytes?: string
  similarity?: number
}

const hex = (path: string, bytes?: string) =>
  (bytes === undefined ? Buffer.from(path) : Buffer.from(bytes, 'base64')).toString('hex')

/** The API's diff as the same records. */
export async function apiNameStatus(t: TestApp, project: string, query: string): Promise<string[]> {
  const res = await t.callJson<{ changes: ChangeJson[] }>(
    'GET',
    `/projects/${project}/diff?${query}`,
  )
  if (res.status !== 200)
    throw new Error(`diff answered ${res.status}: ${JSON.stringify(res.body)}`)
  return res.body.changes.map((c) =>
    c.oldPath === undefined
      ? `${c.status} ${hex(c.path, c.pathBytes)}`
      : `${c.status}${String(c.similarity).padStart(3, '0')} ${hex(c.oldPath, c.oldPathBytes)} ${hex(c.path, c.pathBytes)}`,
  )
}

/** Every page of the API's log for `query`, `limit` commits a page. */
export async function apiLog(t: TestApp, project: string, query: string, limit = 2) {
  const oids: string[] = []
  let cursor: string | null = null
  do {
    const url: string = `/projects/${project}/log?limit=${limit}&${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`
    const res = await t.callJson<{ commits: { oid: string }[]; next: string | null }>('GET', url)
    if (res.status !== 200)
      throw new Error(`log answered ${res.status}: ${JSON.stringify(res.body)}`)
    oids.push(...res.body.commits.map((c) => c.oid))
    cursor = res.body.next
  } while (cursor)
  return oids
}

/** `git log --follow --format=%H -- path`. */
export function gitFollow(g: GitFixture, ref: string, path: string | Buffer): string[] {
  const args = ['log', '--follow', '--format=%H', ref, '--']
  const out = execFileSync('git', [...args, path as string], {
    cwd: g.dir,
    env: { ...ENV, HOME: g.dir },
    maxBuffer: 1 << 28,
  })
  return out.toString().split('\n').filter(Boolean)
}
