import { describe, expect, it } from 'vitest'
import { GitPgError } from '@gitpg/git-pg-fs'
import { SyncError } from '@gitpg/sync'
import { ApiError, ERROR_STATUS, type ErrorCode } from '../src/errors.ts'
import { describeError } from '../src/middleware/error-handler.ts'

describe('ERROR_STATUS', () => {
  it('gives every code an error status', () => {
    for (const [code, status] of Object.entries(ERROR_STATUS)) {
      expect(code).toMatch(/^[A-Z][A-Z_]+$/)
      expect(status >= 400 && status <= 599, `${code} → ${status}`).toBe(true)
    }
  })

  it('takes only codes of the unions', () => {
    // @ts-expect-error a code no package declares has no status, so it cannot be raised
    const unknown = new ApiError('NO_SUCH_CODE', 'made up')
    expect(describeError(unknown).status).toBe(500)
    // @ts-expect-error the git store's errors take only its own codes
    expect(new GitPgError('PENDING_CONFLICT', 'x').code).toBe('PENDING_CONFLICT')
    const code: ErrorCode = 'REMOTE_REJECTED'
    expect(ERROR_STATUS[code]).toBe(409)
  })
})

describe('describeError', () => {
  it('answers each package’s errors with their status and code', () => {
    expect(describeError(new GitPgError('BAD_PACK', 'broken')).status).toBe(400)
    expect(describeError(new SyncError('DIVERGED', 'diverged')).body.code).toBe('DIVERGED')
    expect(describeError(new GitPgError('REPO_NOT_FOUND', 'gone')).body.code).toBe(
      'PROJECT_NOT_FOUND',
    )
  })

  it('keeps internals out of the answer', () => {
    const { status, body } = describeError(new RangeError('Invalid string length'))
    expect(status).toBe(500)
    expect(body).toEqual({ code: 'INTERNAL', message: 'internal error' })
  })
})
