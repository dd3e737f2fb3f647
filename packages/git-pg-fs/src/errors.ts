/** Every code the git store and the git protocol raise. */
export type GitErrorCode =
  /** a ref did not hold what a compare-and-swap expected */
  | 'REF_CONFLICT'
  | 'REPO_NOT_FOUND'
  | 'OBJECT_NOT_FOUND'
  | 'REF_NOT_FOUND'
  | 'PATH_NOT_FOUND'
  /** a change needs a file where a directory is, or a directory where a file is */
  | 'PATH_CONFLICT'
  | 'BRANCH_NOT_FOUND'
  | 'BRANCH_EXISTS'
  /** the default branch cannot be deleted */
  | 'DEFAULT_BRANCH'
  /** a short id or name that names more than one thing */
  | 'AMBIGUOUS_REF'
  | 'INVALID_PATH'
  | 'INVALID_REF_NAME'
  | 'INVALID_CURSOR'
  /** the changes leave the tree as it is */
  | 'NOTHING_TO_COMMIT'
  /** a ref would point at a commit whose history is not all stored */
  | 'MISSING_OBJECTS'
  /** an object above the configured size limit */
  | 'OBJECT_TOO_LARGE'
  | 'BAD_PACK'
  | 'BAD_OBJECT'
  | 'BAD_BUNDLE'
  /** a stored object does not resolve to its size (a damaged row or delta chain) */
  | 'CORRUPT_OBJECT'
  /** a git client broke the protocol (malformed pkt-lines, commands) */
  | 'PROTOCOL_ERROR'
  /** a line range beyond the end of the file */
  | 'LINE_OUT_OF_RANGE'
  /** a blame would read a version of the file larger than its byte limit */
  | 'BLAME_TOO_LARGE'
  /** a blame would walk more history or diff more than its limits */
  | 'BLAME_TOO_COSTLY'
  /** a pack would hold an object that a remaining object row deltas on (maintenance) */
  | 'PACK_BASE_CONFLICT'

/**
 * Every error the git store raises carries a stable `code` callers can act on. Each package
 * names its codes in a union (`GitErrorCode`, the sync package's `SyncErrorCode`, the server's
 * `ServerErrorCode`) and its errors take only those.
 */
export class GitPgError<Code extends string = GitErrorCode> extends Error {
  readonly code: Code
  readonly data: Record<string, unknown>

  constructor(
    // not inferred from the argument: a plain `new GitPgError(code)` takes a `GitErrorCode`
    code: NoInfer<Code>,
    message: string,
    data: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = 'GitPgError'
    this.code = code
    this.data = data
  }
}

/** A ref did not hold the value a compare-and-swap expected. */
export class RefConflictError extends GitPgError {
  constructor(ref: string, expected: string | null, actual: string | null) {
    super(
      'REF_CONFLICT',
      `ref ${ref} moved: expected ${expected ?? 'absent'}, found ${actual ?? 'absent'}`,
      {
        ref,
        expected,
        actual,
      },
    )
  }
}

export class RepoNotFoundError extends GitPgError {
  constructor(repo: string) {
    super('REPO_NOT_FOUND', `repository ${repo} does not exist`, { repo })
  }
}

export class ObjectNotFoundError extends GitPgError {
  constructor(oid: string) {
    super('OBJECT_NOT_FOUND', `object ${oid} does not exist`, { oid })
  }
}

export class RefNotFoundError extends GitPgError {
  constructor(ref: string) {
    super('REF_NOT_FOUND', `ref ${ref} does not resolve to a commit`, { ref })
  }
}

export class PathNotFoundError extends GitPgError {
  constructor(path: string) {
    super('PATH_NOT_FOUND', `path ${path} does not exist`, { path })
  }
}

export class InvalidPathError extends GitPgError {
  constructor(path: string, reason: string) {
    super('INVALID_PATH', `invalid path ${JSON.stringify(path)}: ${reason}`, { path })
  }
}

/**
 * A change needs a file where the tree has a directory, or a directory where it has a file (and
 * the change set does not remove the one in the way).
 */
export class PathConflictError extends GitPgError {
  constructor(path: string, reason: string) {
    super('PATH_CONFLICT', `path ${path} ${reason}`, { path })
  }
}

export class InvalidRefNameError extends GitPgError {
  constructor(ref: string, reason: string) {
    super('INVALID_REF_NAME', `invalid ref name ${JSON.stringify(ref)}: ${reason}`, { ref })
  }
}

export class BadPackError extends GitPgError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('BAD_PACK', message, {}, options)
  }
}

export class BadObjectError extends GitPgError {
  constructor(message: string, data: Record<string, unknown> = {}) {
    super('BAD_OBJECT', message, data)
  }
}

/** A ref would point at history whose objects are not all stored (`oids`: some of them). */
export class MissingObjectsError extends GitPgError {
  constructor(oids: readonly string[]) {
    super('MISSING_OBJECTS', `missing necessary objects (${oids.slice(0, 3).join(', ')}, ...)`, {
      oids: oids.slice(0, 10),
    })
  }
}

/**
 * A pack would hold objects (`oids`, hex) that remaining `git_objects` rows use as delta bases:
 * rows never delta on packed objects, so the pack is not written.
 */
export class PackBaseConflictError extends GitPgError {
  readonly oids: string[]

  constructor(oids: readonly string[]) {
    super(
      'PACK_BASE_CONFLICT',
      `${oids.length} objects to pack are delta bases of object rows (${oids.slice(0, 3).join(', ')})`,
      { oids: oids.slice(0, 10) },
    )
    this.oids = [...oids]
  }
}

/** An object is larger than the configured limit. */
export class ObjectTooLargeError extends GitPgError {
  constructor({ oid, size, limit }: { oid: string | null; size: number; limit: number }) {
    super(
      'OBJECT_TOO_LARGE',
      `object ${oid ?? ''}${oid ? ' ' : ''}is ${size} bytes, more than the ${formatBytes(limit)} limit`,
      { oid, size, limit },
    )
  }
}

/** `104857600` → `100 MB`, `1536` → `1.5 KB`. */
function formatBytes(n: number): string {
  for (const [unit, size] of [
    ['GB', 1024 ** 3],
    ['MB', 1024 ** 2],
    ['KB', 1024],
  ] as const) {
    if (n >= size) return `${Math.round((n / size) * 10) / 10} ${unit}`
  }
  return `${n} bytes`
}
