/** Every error the git store raises carries a stable `code` callers can act on. */
export class GitPgError extends Error {
  readonly code: string
  readonly data: Record<string, unknown>

  constructor(
    code: string,
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
  constructor(message: string) {
    super('BAD_OBJECT', message)
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
