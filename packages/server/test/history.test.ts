import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GitFixture } from './support/git-fixture.ts'
import { loadFixture } from './support/load-fixture.ts'
import { createTestApp, type TestApp } from './support/test-app.ts'

let t: TestApp
let repo: GitFixture
const c: Record<string, string> = {}

/** A small history with the cases log and diff must get right. */
function buildHistory(g: GitFixture) {
  g.write('README.md', '# demo\n')
  g.write('src/app.js', 'console.log(1)\n')
  g.write('src/lib/util.js', 'export const a = 1\n')
  c.root = g.commit('root')
  g.write('src/app.js', 'console.log(2)\n')
  g.write('docs/guide.md', 'guide\nline 2\n')
  c.second = g.commit('second: app and docs')
  g.git('checkout', '-q', '-b', 'feature')
  g.write('src/lib/util.js', 'export const a = 2\n')
  g.write('feature.txt', 'feature\n')
  c.feature1 = g.commit('feature: util')
  g.git('checkout', '-q', 'main')
  g.write('README.md', '# demo\n\nmore text\n')
  g.write('bin/run.sh', '#!/bin/sh\necho run\n', { executable: true })
  c.third = g.commit('third: readme and script')
  g.git('merge', '-q', '--no-ff', '-m', 'merge feature', 'feature')
  c.merge = g.git('rev-parse', 'HEAD').trim()
  g.write('image.bin', Buffer.from([0, 1, 2, 3, 0, 255, 254, 10, 13]))
  g.symlink('link-to-readme', 'README.md')
  g.write('dir with space/ünï.txt', 'unicode\nno newline at end')
  g.remove('docs/guide.md')
  g.write('src/app.js', Array.from({ length: 40 }, (_, i) => `line ${i}`).join('\n') + '\n')
  c.fourth = g.commit('fourth: binary, symlink, unicode, delete')
  g.write('image.bin', Buffer.from([9, 0, 8, 7]))
  g.chmod('src/lib/util.js', 0o755)
  g.write(
    'src/app.js',
    Array.from({ length: 40 }, (_, i) => (i === 5 || i === 30 ? `changed ${i}` : `line ${i}`)).join(
      '\n',
    ) + '\n',
  )
  g.remove('link-to-readme')
  g.write('link-to-readme', 'now a file\n')
  c.fifth = g.commit('fifth: binary change, mode change, two hunks, symlink to file')
  for (let i = 0; i < 7; i++) {
    g.write(`log/${i % 2}.txt`, `entry ${i}\n`)
    c[`log${i}`] = g.commit(`log entry ${i}`)
  }
  g.git('tag', 'v1', c.fifth)
  g.git('tag', '-a', '-m', 'annotated', 'v2', c.log6)
}

beforeAll(async () => {
  t = await createTestApp()
  repo = new GitFixture()
  buildHistory(repo)
  await loadFixture(t, 'hist', repo)
})
afterAll(async () => {
  repo?.cleanup()
  await t?.close()
})

async function logAll(query: string, limit = 3): Promise<string[]> {
  const oids: string[] = []
  let cursor: string | null = null
  do {
    const url: string = `/projects/hist/log?limit=${limit}${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`
    const res = await t.callJson('GET', url)
    expect(res.status, url).toBe(200)
    expect(res.body.commits.length).toBeLessThanOrEqual(limit)
    oids.push(...res.body.commits.map((x: { oid: string }) => x.oid))
    cursor = res.body.next
  } while (cursor)
  return oids
}

const gitLines = (...args: string[]) =>
  repo
    .git(...args)
    .trim()
    .split('\n')
    .filter(Boolean)

describe('history routes against the git CLI', () => {
  it('log pages through the whole history like git log', async () => {
    for (const ref of ['main', 'feature', 'v1', 'v2', c.third]) {
      expect(await logAll(`&ref=${ref}`), ref).toEqual(gitLines('log', '--format=%H', ref))
    }
    expect(await logAll('')).toEqual(gitLines('log', '--format=%H', 'main'))
    expect(await logAll('', 100)).toEqual(gitLines('log', '--format=%H', 'main'))
  })

  it('log -- path follows git history simplification', async () => {
    for (const path of [
      'src/app.js',
      'src',
      'src/lib/util.js',
      'README.md',
      'docs/guide.md',
      'log/1.txt',
      'feature.txt',
      'nothing',
    ]) {
      expect(await logAll(`&path=${encodeURIComponent(path)}`, 2), path).toEqual(
        gitLines('log', '--format=%H', 'main', '--', path),
      )
    }
  })

  it('log entries carry message, author, committer and parents as git has them', async () => {
    const res = await t.callJson('GET', `/projects/hist/log?ref=${c.merge}&limit=1`)
    const [entry] = res.body.commits
    expect(entry.oid).toBe(c.merge)
    expect(entry.parents).toEqual(gitLines('log', '-1', '--format=%P', c.merge)[0].split(' '))
    expect(entry.message).toBe(repo.git('log', '-1', '--format=%B', c.merge).replace(/\n+$/, '\n'))
    expect(entry.author).toEqual({
      name: 'Fixture Author',
      email: 'author@example.com',
      timestamp: Number(gitLines('log', '-1', '--format=%at', c.merge)[0]),
      timezoneOffset: 60,
    })
    expect(entry.committer.name).toBe('Fixture Committer')
  })

  it('GET commits/:oid lists the paths changed against the first parent', async () => {
    for (const name of ['root', 'second', 'merge', 'fourth', 'fifth']) {
      const oid = c[name]
      const res = await t.callJson('GET', `/projects/hist/commits/${oid}`)
      expect(res.status).toBe(200)
      expect(res.body.oid).toBe(oid)
      const parent = gitLines('log', '-1', '--format=%P', oid)[0]?.split(' ')[0]
      const expected = parent
        ? gitLines('diff', '--name-status', '--no-renames', parent, oid)
        : gitLines(
            'diff-tree',
            '--root',
            '-r',
            '--name-status',
            '--no-renames',
            '--no-commit-id',
            oid,
          )
      expect(
        res.body.changes.map((x: { status: string; path: string }) => `${x.status}\t${x.path}`),
        name,
      ).toEqual(expected.map(unquote))
    }
    const short = await t.callJson('GET', `/projects/hist/commits/${c.second.slice(0, 10)}`)
    expect(short.body.oid).toBe(c.second)
    expect((await t.callJson('GET', '/projects/hist/commits/0000000000')).status).toBe(404)
  })

  const pairs = () => [
    [c.root, c.second],
    [c.second, c.third],
    [c.third, c.merge],
    [c.merge, c.fourth],
    [c.fourth, c.fifth],
    [c.root, c.log6],
    [c.fifth, c.root],
    ['feature', 'main'],
    ['v1', 'v2'],
  ]

  it('diff equals git diff --name-status --no-renames', async () => {
    for (const [from, to] of pairs()) {
      const res = await t.callJson('GET', `/projects/hist/diff?from=${from}&to=${to}`)
      expect(res.status).toBe(200)
      const got = res.body.changes.map(
        (x: { status: string; path: string }) => `${x.status}\t${x.path}`,
      )
      expect(got, `${from}..${to}`).toEqual(
        gitLines('diff', '--name-status', '--no-renames', from, to).map(unquote),
      )
    }
    const scoped = await t.callJson(
      'GET',
      `/projects/hist/diff?from=${c.root}&to=${c.log6}&path=src`,
    )
    expect(scoped.body.changes.map((x: { path: string }) => x.path)).toEqual(
      gitLines('diff', '--name-only', '--no-renames', c.root, c.log6, '--', 'src'),
    )
    const defaultTo = await t.callJson('GET', `/projects/hist/diff?from=${c.log5}`)
    expect(defaultTo.body.changes).toEqual([
      {
        path: 'log/0.txt',
        status: 'M',
        oldOid: expect.any(String),
        newOid: expect.any(String),
        oldMode: '100644',
        newMode: '100644',
      },
    ])
  })

  it('format=patch is a unified diff git apply accepts and that rebuilds the new tree', async () => {
    const work = mkdtempSync(join(tmpdir(), 'gitpg-apply-'))
    try {
      execFileSync('git', ['clone', '-q', '--no-checkout', repo.dir, work])
      const run = (...args: string[]) => execFileSync('git', args, { cwd: work }).toString()
      for (const [from, to] of pairs()) {
        const res = await t.call('GET', `/projects/hist/diff?from=${from}&to=${to}&format=patch`)
        expect(res.status).toBe(200)
        expect(res.headers.get('content-type')).toMatch(/^text\/x-diff/)
        const patch = Buffer.from(await res.arrayBuffer())
        const hunkHeaders = (text: string) => text.split('\n').filter((l) => l.startsWith('@@ '))
        expect(hunkHeaders(patch.toString('latin1')), `${from}..${to}`).toEqual(
          hunkHeaders(repo.git('diff', '--no-renames', from, to)),
        )
        const file = join(work, '..', `p-${Math.random()}.patch`)
        writeFileSync(file, patch)
        run('checkout', '-q', '-f', '--detach', repo.git('rev-parse', from).trim())
        run('clean', '-qfdx')
        run('apply', '--check', file)
        run('apply', '--index', file)
        expect(run('write-tree').trim(), `${from}..${to}`).toBe(
          repo.git('rev-parse', `${to}^{tree}`).trim(),
        )
        rmSync(file)
      }
      const text = await (
        await t.call('GET', `/projects/hist/diff?from=${c.fourth}&to=${c.fifth}&format=patch`)
      ).text()
      expect(text).toContain('diff --git a/src/app.js b/src/app.js')
      expect(text).toContain('old mode 100644\nnew mode 100755')
      expect(text).toContain('GIT binary patch')
    } finally {
      rmSync(work, { recursive: true, force: true })
    }
  })

  it('unknown refs and bad refs', async () => {
    const unknown = await t.callJson('GET', '/projects/hist/log?ref=nope')
    expect(unknown.status).toBe(404)
    expect(unknown.body.error.code).toBe('REF_NOT_FOUND')
    const bad = await t.callJson('GET', '/projects/hist/diff?from=main..feature')
    expect(bad.status).toBe(400)
    expect(bad.body.error.code).toBe('INVALID_REF_NAME')
    const missingFrom = await t.callJson('GET', '/projects/hist/diff')
    expect(missingFrom.status).toBe(400)
    expect(missingFrom.body.error.code).toBe('VALIDATION_FAILED')
  })
})

/** git quotes unusual paths in name-status output: "dir with space/\303\274..." → the path. */
function unquote(line: string): string {
  const [status, path] = line.split('\t')
  if (!path.startsWith('"')) return line
  const bytes: number[] = []
  const body = path.slice(1, -1)
  for (let i = 0; i < body.length; i++) {
    if (body[i] === '\\' && /[0-7]{3}/.test(body.slice(i + 1, i + 4))) {
      bytes.push(parseInt(body.slice(i + 1, i + 4), 8))
      i += 3
    } else if (body[i] === '\\') {
      const next = body[++i]
      bytes.push(
        ({ t: 9, n: 10, '"': 34, '\\': 92 } as Record<string, number>)[next] ?? next.charCodeAt(0),
      )
    } else bytes.push(body.charCodeAt(i))
  }
  return `${status}\t${Buffer.from(bytes).toString('utf8')}`
}
