import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient, GitpgError } from '../src/index.ts'
import { startTestStack, type TestStack } from '../../../test/support/test-stack.ts'

const KEY = 'client-readme-key-0123456789'
let stack: TestStack

beforeAll(async () => {
  stack = await startTestStack({ name: 'client-readme', apiKey: KEY })
})
afterAll(() => stack?.close())

describe('the README example of @gitpg/client', () => {
  it('runs as written', async () => {
    const baseUrl = stack.server.url
    const apiKey = KEY
    const seen: string[] = []
    // from here on, the README's example (`seen` stands for its console.log)
    const gitpg = createClient({ baseUrl, apiKey })

    await gitpg.projects.create('docs')
    const sub = gitpg.changes.subscribe({
      project: 'docs',
      onEvent: (e) => void seen.push(`${e.kind} ${e.path ?? ''}`),
    })
    await gitpg.pending.save({
      project: 'docs',
      userId: 'ada',
      path: 'intro.md',
      content: '# Hi\n',
    })
    const { commit } = await gitpg.commits.create({
      project: 'docs',
      userId: 'ada',
      message: 'Add intro',
      author: { name: 'Ada', email: 'ada@example.com' },
    })
    const bytes = await gitpg.files.read({ project: 'docs', path: 'intro.md' })
    const { commits } = await gitpg.log({ project: 'docs', path: 'intro.md' })
    const missing = await gitpg.files.read({ project: 'docs', path: 'no.md' }).catch((e) => e)
    // missing instanceof GitpgError, missing.code === 'PATH_NOT_FOUND', missing.status === 404
    // end of the example (which stops the subscription later with `sub.close()`)
    expect(new TextDecoder().decode(bytes)).toBe('# Hi\n')
    expect(commits.map((c) => c.oid)).toEqual([commit])
    expect(missing).toBeInstanceOf(GitpgError)
    expect([missing.code, missing.status]).toEqual(['PATH_NOT_FOUND', 404])
    await expect
      .poll(() => seen)
      .toEqual(['pending.saved intro.md', 'pending.discarded intro.md', 'ref.updated '])
    sub.close()
    await sub.done
  })
})
