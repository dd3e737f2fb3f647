import { expect } from 'vitest'
import { GitpgError } from '../../src/index.ts'

/**
 * The error `promise` rejects with, asserted to be a GitpgError (a promise that fulfils fails
 * the test).
 *
 * @example
 * expect((await thrown(client.projects.get('missing'))).code).toBe('PROJECT_NOT_FOUND')
 */
export async function thrown(promise: Promise<unknown>): Promise<GitpgError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(GitpgError)
  return err as GitpgError
}
