import { GitPgError, type GitErrorCode } from '@gitpg/git-pg-fs'
import { SYNC_ERROR_STATUS, type SyncErrorCode } from '@gitpg/sync'

/** The codes the server itself raises, besides the git store's and the sync package's. */
export type ServerErrorCode =
  | 'INVALID_JSON'
  /** a batch read named more paths than `GITPG_BATCH_MAX_PATHS` */
  | 'TOO_MANY_PATHS'
  /** a listing holds more files than `GITPG_LIST_MAX_FILES` */
  | 'LISTING_TOO_LARGE'
  /** no room for the request body within the in-flight budget */
  | 'SERVER_BUSY'
  | 'VALIDATION_FAILED'
  | 'BAD_REQUEST'
  /** `follow=true` on a log without a `path` */
  | 'FOLLOW_NEEDS_PATH'
  | 'UNAUTHORIZED'
  /** the key's scope does not allow the request (a read key writing, a scoped key on /keys) */
  | 'FORBIDDEN'
  | 'KEY_NOT_FOUND'
  | 'NOT_FOUND'
  | 'PROJECT_NOT_FOUND'
  | 'PENDING_NOT_FOUND'
  | 'PENDING_CONFLICT'
  /** a tag of that name (or one in the way of it) exists */
  | 'TAG_EXISTS'
  | 'TAG_NOT_FOUND'
  | 'CURSOR_EXPIRED'
  | 'PRECONDITION_FAILED'
  | 'PAYLOAD_TOO_LARGE'
  | 'PATCH_TOO_LARGE'
  /** a grep pattern that cannot be searched for (a regular expression that does not parse) */
  | 'INVALID_PATTERN'
  /** a grep ran past `GITPG_GREP_TIMEOUT` */
  | 'GREP_TIMEOUT'
  /** a maintenance run of the project is under way (on this server or another) */
  | 'MAINTENANCE_RUNNING'
  /** a prune age that is not one (see `parsePruneAge`) */
  | 'INVALID_PRUNE_AGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'INTERNAL'
  | 'DATABASE_UNAVAILABLE'

/** Every code an answer of the server can carry. */
export type ErrorCode = GitErrorCode | SyncErrorCode | ServerErrorCode

/**
 * The HTTP status of every error code the server answers with: a code without a status here
 * fails typecheck. The README lists each one.
 */
export const ERROR_STATUS: Record<ErrorCode, number> = {
  ...SYNC_ERROR_STATUS,
  INVALID_JSON: 400,
  VALIDATION_FAILED: 400,
  BAD_REQUEST: 400,
  FOLLOW_NEEDS_PATH: 400,
  INVALID_PATH: 400,
  INVALID_REF_NAME: 400,
  AMBIGUOUS_REF: 400,
  INVALID_CURSOR: 400,
  TOO_MANY_PATHS: 400,
  INVALID_PATTERN: 400,
  INVALID_PRUNE_AGE: 400,
  BAD_OBJECT: 400,
  CORRUPT_OBJECT: 500,
  LINE_OUT_OF_RANGE: 400,
  BAD_PACK: 400,
  BAD_BUNDLE: 400,
  PROTOCOL_ERROR: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  PROJECT_NOT_FOUND: 404,
  REPO_NOT_FOUND: 404,
  PATH_NOT_FOUND: 404,
  REF_NOT_FOUND: 404,
  OBJECT_NOT_FOUND: 404,
  BRANCH_NOT_FOUND: 404,
  PENDING_NOT_FOUND: 404,
  KEY_NOT_FOUND: 404,
  TAG_NOT_FOUND: 404,
  REF_CONFLICT: 409,
  BRANCH_EXISTS: 409,
  DEFAULT_BRANCH: 409,
  PENDING_CONFLICT: 409,
  TAG_EXISTS: 409,
  PATH_CONFLICT: 409,
  MAINTENANCE_RUNNING: 409,
  CURSOR_EXPIRED: 410,
  PRECONDITION_FAILED: 412,
  PAYLOAD_TOO_LARGE: 413,
  OBJECT_TOO_LARGE: 413,
  PATCH_TOO_LARGE: 413,
  BLAME_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  NOTHING_TO_COMMIT: 422,
  MISSING_OBJECTS: 422,
  LISTING_TOO_LARGE: 422,
  BLAME_TOO_COSTLY: 422,
  PACK_BASE_CONFLICT: 500,
  INTERNAL: 500,
  DATABASE_UNAVAILABLE: 503,
  SERVER_BUSY: 503,
  GREP_TIMEOUT: 503,
}

/** The status for a code, 500 for one no table knows (an error from a dependency). */
export function statusOf(code: string): number {
  return Object.hasOwn(ERROR_STATUS, code) ? ERROR_STATUS[code as ErrorCode] : 500
}

/** An error answered with its own code and status; `data` is merged into the JSON body. */
export class ApiError extends GitPgError<ErrorCode> {
  constructor(code: ErrorCode, message: string, data: Record<string, unknown> = {}) {
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

/** A patch past the byte budget (`GITPG_PATCH_MAX_BYTES`); `files` were written before it. */
export class PatchTooLargeError extends ApiError {
  constructor({ maxBytes, files }: { maxBytes: number; files: number }) {
    super(
      'PATCH_TOO_LARGE',
      `the patch is larger than ${maxBytes} bytes (GITPG_PATCH_MAX_BYTES) after ${files} file(s): ask for fewer paths with ?path= or the JSON list of changes`,
      { maxBytes, files },
    )
  }
}

export { GitPgError }
