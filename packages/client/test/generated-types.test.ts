import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { generateTypesSource } from '../scripts/openapi-types.ts'

const root = fileURLToPath(new URL('..', import.meta.url))

describe('the generated API types', () => {
  it('match the server’s current routes (run `pnpm --filter @gitpg/client generate`)', async () => {
    const checkedIn = await readFile(new URL('../src/generated/api.ts', import.meta.url), 'utf8')
    expect(await generateTypesSource()).toBe(checkedIn)
  })

  it('the client typechecks with browser globals and no Node types', async () => {
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
    const run = promisify(execFile)(process.execPath, [tsc, '-p', 'tsconfig.browser.json'], {
      cwd: root,
    })
    await expect(run).resolves.toMatchObject({ stdout: '' })
  })
})
