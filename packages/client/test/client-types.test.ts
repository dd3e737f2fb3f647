import { describe, expectTypeOf, it } from 'vitest'
import {
  createClient,
  type Branch,
  type ChangeEvent,
  type Commit,
  type ErrorCode,
  type GitpgError,
  type LogPage,
  type PendingChange,
  type Project,
} from '../src/index.ts'

/**
 * Checked by `tsc` (the repository's typecheck includes the tests): each `@ts-expect-error`
 * below fails the typecheck if the misuse it marks ever compiles.
 */
const client = createClient({ baseUrl: 'http://127.0.0.1:1', apiKey: 'k' })

function misuse() {
  // @ts-expect-error the path is required
  void client.files.read({ project: 'docs' })
  // @ts-expect-error a project id, not an object
  void client.projects.create({ id: 'docs' })
  // @ts-expect-error the author is required
  void client.commits.create({ project: 'docs', userId: 'ada', message: 'm' })
  void client.commits.create({
    project: 'docs',
    userId: 'ada',
    message: 'm',
    // @ts-expect-error an author has a name and an email
    author: { name: 'Ada' },
  })
  // @ts-expect-error limit is a number
  void client.log({ project: 'docs', limit: 'ten' })
  // @ts-expect-error no such query parameter
  void client.log({ project: 'docs', author: 'ada' })
  // @ts-expect-error paths is a list
  void client.files.batch({ project: 'docs', paths: 'a.md' })
  // @ts-expect-error content is text, bytes, a Blob or a stream
  void client.pending.save({ project: 'docs', userId: 'ada', path: 'a.md', content: 42 })
  // @ts-expect-error format is json or patch, chosen by diff() or patch()
  void client.diff({ project: 'docs', from: 'a', format: 'html' })
  // @ts-expect-error from is required
  void client.diff({ project: 'docs' })
  // @ts-expect-error scope is read, write or admin
  void client.keys.create({ projects: ['docs'], scope: 'owner' })
  // @ts-expect-error onEvent is required
  void client.changes.subscribe({ project: 'docs' })
  // @ts-expect-error grep needs a pattern
  void client.grep({ project: 'docs', regex: true })
  // @ts-expect-error no such method
  void client.files.remove({ project: 'docs', path: 'a.md' })
}

describe('client types', () => {
  it('are the server’s request and response types', () => {
    expectTypeOf(client.projects.get).returns.resolves.toEqualTypeOf<Project>()
    expectTypeOf<Project['head']>().toEqualTypeOf<string | null>()
    expectTypeOf(client.files.read).returns.resolves.toEqualTypeOf<Uint8Array>()
    expectTypeOf(client.files.stream).returns.resolves.toHaveProperty('body')
    expectTypeOf(client.log).returns.resolves.toEqualTypeOf<LogPage>()
    expectTypeOf<LogPage['commits'][number]>().toEqualTypeOf<Commit>()
    expectTypeOf<LogPage['next']>().toEqualTypeOf<string | null>()
    expectTypeOf(client.pending.save).returns.resolves.toEqualTypeOf<PendingChange>()
    expectTypeOf<PendingChange['action']>().toEqualTypeOf<'created' | 'modified' | 'deleted'>()
    expectTypeOf(client.branches.list).returns.resolves.toEqualTypeOf<{ branches: Branch[] }>()
    expectTypeOf<ChangeEvent['kind']>().toExtend<string>()
    expectTypeOf(client.files.batch)
      .parameter(0)
      .toHaveProperty('paths')
      .toEqualTypeOf<readonly (string | Uint8Array)[]>()
    expectTypeOf<GitpgError['code']>().toEqualTypeOf<ErrorCode>()
    expectTypeOf<'PROJECT_NOT_FOUND'>().toExtend<ErrorCode>()
    expectTypeOf(misuse).toBeFunction()
  })
})
