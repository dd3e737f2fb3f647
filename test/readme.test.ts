import { execFile } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type RunningServer } from '@gitpg/server'
import { createTestDatabase, type TestDatabase } from './support/database.ts'
import { GIT_ENV } from './support/git-cli.ts'

/**
 * The README's commands, run as a reader would. Convention: every block fenced ```sh is run, in
 * README order, in one bash session (`set -euo pipefail`; curl fails on an HTTP error), from a
 * fresh directory where a gitpg server runs on `$PORT` with its data dir `./.gitpg`. A block that
 * cannot run there (set-up, the test suite, a command that never ends) is fenced ```sh no-test.
 */
const README = new URL('../README.md', import.meta.url)

interface Block {
  line: number
  code: string
}

function runnableBlocks(markdown: string): Block[] {
  const blocks: Block[] = []
  let current: Block | null = null
  markdown.split('\n').forEach((text, i) => {
    if (current) {
      if (text.startsWith('```')) {
        blocks.push(current)
        current = null
      } else current.code += `${text}\n`
    } else if (text.trim() === '```sh') current = { line: i + 1, code: '' }
  })
  return blocks
}

let tmp: string
let database: TestDatabase
let server: RunningServer

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'gitpg-readme-'))
  chmodSync(tmp, 0o755)
  database = await createTestDatabase()
  server = await startServer({
    env: {
      DATABASE_URL: database.url,
      PORT: '0',
      GITPG_DATA_DIR: join(tmp, '.gitpg'),
      GITPG_LOG_LEVEL: 'silent',
    },
    cwd: tmp,
    print: () => {},
  })
})

afterAll(async () => {
  await server?.close()
  await database?.drop()
  if (tmp) rmSync(tmp, { recursive: true, force: true })
})

describe('README', () => {
  it('runs every ```sh block as written', async () => {
    const blocks = runnableBlocks(readFileSync(README, 'utf8'))
    expect(blocks.length).toBeGreaterThanOrEqual(3)
    const script = [
      'set -euo pipefail',
      `trap 'echo "README.md block at line $BLOCK failed" >&2' ERR`,
      ...blocks.map((b) => `BLOCK=${b.line}\n${b.code}`),
    ].join('\n')
    const curlHome = join(tmp, 'curl-home')
    mkdirSync(curlHome)
    writeFileSync(join(curlHome, '.curlrc'), '--fail-with-body\n')
    // asynchronously: the server answering the blocks runs in this process
    const run = await new Promise<{ status: number; output: string }>((resolve) =>
      execFile(
        'bash',
        ['-c', script],
        {
          cwd: tmp,
          encoding: 'utf8',
          timeout: 60_000,
          env: {
            ...GIT_ENV,
            PORT: String(server.port),
            CURL_HOME: curlHome,
            GIT_AUTHOR_NAME: 'Ada',
            GIT_AUTHOR_EMAIL: 'ada@example.com',
            GIT_COMMITTER_NAME: 'Ada',
            GIT_COMMITTER_EMAIL: 'ada@example.com',
          },
        },
        (err, stdout, stderr) =>
          resolve({
            status: err ? Number((err as { code?: number }).code ?? 1) : 0,
            output: stdout + stderr,
          }),
      ),
    )
    expect(run.output).not.toContain('failed')
    expect(run.status).toBe(0)
    // what the blocks did, seen through the API
    const key = readFileSync(join(tmp, '.gitpg', 'api-key'), 'utf8').trim()
    const read = async (path: string) =>
      (await fetch(`${server.url}${path}`, { headers: { 'X-Internal-API-Key': key } })).text()
    expect(await read('/files/docs/docs/intro.md')).toBe('hello')
    expect(await read('/files/docs/hello.txt')).toBe('hi\n')
  })
})
