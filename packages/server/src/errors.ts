import { GitPgError } from '@gitpg/git-pg-fs'
import { SYNC_ERROR_STATUS } from '@gitpg/sync'

/**
 * The HTTP status of every error code the server answers with. Route modules that raise new
 * codes add them here; the README lists each one.
 */
export const ERROR_STATUS: Record<string, number> = {
  ...SYNC_ERROR_STATUS,
  INVALID_JSON: 400,
  VALIDATION_FAILED: 400,
  INVALID_PATH: 400,
  INVALID_REF_NAME: 400,
  AMBIGUOUS_REF: 400,
  INVALID_CURSOR: 400,
  TOO_MANY_PATHS: 400,
  BAD_OBJECT: 400,
  BAD_PACK: 400,
  BAD_BUNDLE: 400,
  PROTOCOL_ERROR: 400,
  UNAUTHORIZED: 401,
  NOT_FOUND: 404,
  PROJECT_NOT_FOUND: 404,
  REPO_NOT_FOUND: 404,
  PATH_NOT_FOUND: 404,
  REF_NOT_FOUND: 404,
  OBJECT_NOT_FOUND: 404,
  BRANCH_NOT_FOUND: 404,
  PENDING_NOT_FOUND: 404,
  REF_CONFLICT: 409,
  BRANCH_EXISTS: 409,
  DEFAULT_BRANCH: 409,
  PENDING_CONFLICT: 409,
  CURSOR_EXPIRED: 410,
  PRECONDITION_FAILED: 412,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  NOTHING_TO_COMMIT: 422,
  LISTING_TOO_LARGE: 422,
  INTERNAL: 500,
  DATABASE_UNAVAILABLE: 503,
  SERVER_BUSY: 503,
}

/** An error answered with its own code and status; `data` is merged into the JSON body. */
export class ApiError extends GitPgError {
  constructor(code: string, message: string, data: Record<string, unknown> = {}) {
    super(code, message, data)
    this.name = 'ApiError'
  }
}

export class ProjectNotFoundError extends ApiError {
  constructor(projectId: string) {
    super('PROJECT_NOT_FOUND', `project ${projectId} does not exist`, { projectId })
  }
}

export class NothingToCommitError extends ApiError {
  constructor(message = 'there are no changes to commit', data: Record<string, unknown> = {}) {
    super('NOTHING_TO_COMMIT', message, data)
  }
}

/** The branch is not where the caller said it was; `head` is where it is. */
export class BranchMovedError extends ApiError {
  constructor({
    branch,
    expected,
    head,
  }: {
    branch: string
    expected: string | null
    head: string | null
  }) {
    super(
      'REF_CONFLICT',
      `branch ${branch} is at ${head ?? 'nothing'}, not ${expected ?? 'nothing'}`,
      {
        branch,
        expectedHead: expected,
        head,
      },
    )
  }
}

export { GitPgError }
