/**
 * Generated from the server's OpenAPI document by `pnpm --filter @gitpg/client generate`
 * (packages/client/scripts/generate-types.ts). Do not edit: a test fails when it drifts.
 */

export interface paths {
  '/health': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /** Whether the server and its database are up (no API key needed) */
    get: {
      parameters: {
        query?: never
        header?: never
        path?: never
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description up */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              /** @enum {string} */
              status: 'ok'
              /** @enum {string} */
              database: 'up'
            }
          }
        }
        /** @description database down */
        503: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              error: {
                code: string
                message: string
              }
            }
          }
        }
      }
    }
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/projects/{projectId}': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /** Describe a project */
    get: {
      parameters: {
        query?: never
        header?: never
        path: {
          projectId: string
        }
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description the project */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Project']
          }
        }
        /** @description invalid input (VALIDATION_FAILED, INVALID_JSON, INVALID_PATH, INVALID_REF_NAME) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description missing, wrong, expired or revoked key (UNAUTHORIZED) */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description the key lacks the scope this needs (FORBIDDEN) */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description unknown project, path, ref or branch */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
      }
    }
    /** Create an empty project (200 if it exists already) */
    put: {
      parameters: {
        query?: never
        header?: never
        path: {
          projectId: string
        }
        cookie?: never
      }
      requestBody?: {
        content: {
          'application/json': {
            defaultBranch?: string
          }
        }
      }
      responses: {
        /** @description exists already */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Project']
          }
        }
        /** @description created */
        201: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Project']
          }
        }
        /** @description invalid input (VALIDATION_FAILED, INVALID_JSON, INVALID_PATH, INVALID_REF_NAME) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description missing, wrong, expired or revoked key (UNAUTHORIZED) */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description the key lacks the scope this needs (FORBIDDEN) */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
      }
    }
    post?: never
    /** Delete a project and all its data (objects, refs, pending changes) */
    delete: {
      parameters: {
        query?: never
        header?: never
        path: {
          projectId: string
        }
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description deleted */
        204: {
          headers: {
            [name: string]: unknown
          }
          content?: never
        }
        /** @description invalid input (VALIDATION_FAILED, INVALID_JSON, INVALID_PATH, INVALID_REF_NAME) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description missing, wrong, expired or revoked key (UNAUTHORIZED) */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description the key lacks the scope this needs (FORBIDDEN) */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description unknown project, path, ref or branch */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
      }
    }
    options?: never
    head?: never
    /** Change the default branch (it must exist: 404 BRANCH_NOT_FOUND); HEAD follows, so a clone checks it out */
    patch: {
      parameters: {
        query?: never
        header?: never
        path: {
          projectId: string
        }
        cookie?: never
      }
      requestBody: {
        content: {
          'application/json': {
            defaultBranch: string
          }
        }
      }
      responses: {
        /** @description the project as it is now */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Project']
          }
        }
        /** @description invalid input (VALIDATION_FAILED, INVALID_JSON, INVALID_PATH, INVALID_REF_NAME) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description missing, wrong, expired or revoked key (UNAUTHORIZED) */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description the key lacks the scope this needs (FORBIDDEN) */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description unknown project, path, ref or branch */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
      }
    }
    trace?: never
  }
  '/files/{projectId}': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /** List files at a ref, optionally under a prefix; with userId, with that user's pending changes laid over (pending files marked `pending: true`, pending deletions left out) */
    get: {
      parameters: {
        query?: {
          /** @description branch, tag or commit id */
          ref?: string
          prefix?: string
          userId?: string
        }
        header?: never
        path: {
          projectId: string
        }
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description files */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              files: components['schemas']['FileEntry'][]
            }
          }
        }
        /** @description invalid input (VALIDATION_FAILED, INVALID_JSON, INVALID_PATH, INVALID_REF_NAME) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description missing, wrong, expired or revoked key (UNAUTHORIZED) */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description the key lacks the scope this needs (FORBIDDEN) */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description unknown project, path, ref or branch */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description nothing to commit (NOTHING_TO_COMMIT) */
        422: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
      }
    }
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/files/{projectId}/batch': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    /** Read many files in one call (up to GITPG_BATCH_MAX_PATHS paths); the answer stops at GITPG_BATCH_MAX_BYTES of content and lists the paths it left out in `skipped` */
    post: {
      parameters: {
        query?: never
        header?: never
        path: {
          projectId: string
        }
        cookie?: never
      }
      requestBody: {
        content: {
          'application/json': {
            paths?: string[]
            /** @description more paths, as base64 of their bytes */
            pathBytes?: string[]
            /** @description branch, tag or commit id */
            ref?: string
            /** @example ada */
            userId?: string
          }
        }
      }
      responses: {
        /** @description the files found (in the order asked), the paths missing, and those left out */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              files: {
                path: string
                /** @description base64 of the path's exact bytes (for names that are not UTF-8) */
                pathBytes?: string
                oid: string
                mode: string
                size: number
                /** @enum {string} */
                encoding: 'utf8' | 'base64'
                content: string
                pending: boolean
              }[]
              missing: string[]
              /** @description when a missing path is not UTF-8: its bytes, by index */
              missingPathBytes?: (string | null)[]
              skipped: {
                path: string
                /** @description base64 of the path's exact bytes (for names that are not UTF-8) */
                pathBytes?: string
                size: number
                /**
                 * @description BATCH_TOO_LARGE: the answer reached its byte budget, ask again for these paths; FILE_TOO_LARGE: the file alone is over the budget, read it with GET /files/{projectId}/{path}; CHANGED: the pending version changed, ask again
                 * @enum {string}
                 */
                code: 'BATCH_TOO_LARGE' | 'FILE_TOO_LARGE' | 'CHANGED'
              }[]
              /** @description true when `skipped` is not empty */
              truncated: boolean
            }
          }
        }
        /** @description invalid input (VALIDATION_FAILED, INVALID_JSON, INVALID_PATH, INVALID_REF_NAME) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description missing, wrong, expired or revoked key (UNAUTHORIZED) */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description the key lacks the scope this needs (FORBIDDEN) */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description unknown project, path, ref or branch */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description request body too large (PAYLOAD_TOO_LARGE) */
        413: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
      }
    }
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/files/{projectId}/{path}': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /** A file's bytes; ETag is the blob id; with userId, that user's pending version wins */
    get: {
      parameters: {
        query?: {
          /** @description branch, tag or commit id */
          ref?: string
          userId?: string
        }
        header?: {
          'if-none-match'?: string
        }
        path: {
          projectId: string
          /** @description repository-relative path; may contain "/"; percent-encoded bytes (`caf%E8.txt`) name a path that is not UTF-8 */
          path: string
        }
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description the file content */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/octet-stream': string
          }
        }
        /** @description not modified (If-None-Match matched the blob id) */
        304: {
          headers: {
            [name: string]: unknown
          }
          content?: never
        }
        /** @description invalid input (VALIDATION_FAILED, INVALID_JSON, INVALID_PATH, INVALID_REF_NAME) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description missing, wrong, expired or revoked key (UNAUTHORIZED) */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description the key lacks the scope this needs (FORBIDDEN) */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description unknown project, path, ref or branch */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
      }
    }
    /** Commit this file's new content (the request body) to a branch */
    put: {
      parameters: {
        query?: {
          branch?: string
          message?: string
          expectedHead?: string
        }
        header?: {
          /** @description default: gitpg */
          'x-author-name'?: string
          /** @description default: gitpg@localhost */
          'x-author-email'?: string
        }
        path: {
          projectId: string
          /** @description repository-relative path; may contain "/"; percent-encoded bytes (`caf%E8.txt`) name a path that is not UTF-8 */
          path: string
        }
        cookie?: never
      }
      /** @description the new content */
      requestBody?: {
        content: {
          'application/octet-stream': string
        }
      }
      responses: {
        /** @description committed */
        201: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['FileCommit']
          }
        }
        /** @description invalid input (VALIDATION_FAILED, INVALID_JSON, INVALID_PATH, INVALID_REF_NAME) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description missing, wrong, expired or revoked key (UNAUTHORIZED) */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description the key lacks the scope this needs (FORBIDDEN) */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description unknown project, path, ref or branch */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description conflict with the current state */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description request body too large (PAYLOAD_TOO_LARGE) */
        413: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
      }
    }
    post?: never
    /** Commit the deletion of this file */
    delete: {
      parameters: {
        query?: {
          branch?: string
          message?: string
          expectedHead?: string
        }
        header?: {
          /** @description default: gitpg */
          'x-author-name'?: string
          /** @description default: gitpg@localhost */
          'x-author-email'?: string
        }
        path: {
          projectId: string
          /** @description repository-relative path; may contain "/"; percent-encoded bytes (`caf%E8.txt`) name a path that is not UTF-8 */
          path: string
        }
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description committed */
        201: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['FileCommit']
          }
        }
        /** @description invalid input (VALIDATION_FAILED, INVALID_JSON, INVALID_PATH, INVALID_REF_NAME) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description missing, wrong, expired or revoked key (UNAUTHORIZED) */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description the key lacks the scope this needs (FORBIDDEN) */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description unknown project, path, ref or branch */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description conflict with the current state */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
      }
    }
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/pending/{projectId}/{userId}/diff': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /** The user's pending changes against the default branch, like `git diff --no-renames HEAD` in a work tree holding them; with format=patch, the unified diff */
    get: {
      parameters: {
        query?: {
          /** @description a file or directory */
          path?: string
          format?: 'json' | 'patch'
        }
        header?: never
        path: {
          projectId: string
          userId: string
        }
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description the changes (JSON), or with format=patch a unified diff */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              /** @description the head compared against */
              base: string | null
              changes: components['schemas']['PendingDiffChange'][]
            }
            'text/x-diff': string
          }
        }
        /** @description invalid input (VALIDATION_FAILED, INVALID_JSON, INVALID_PATH, INVALID_REF_NAME) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description missing, wrong, expired or revoked key (UNAUTHORIZED) */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description the key lacks the scope this needs (FORBIDDEN) */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description unknown project, path, ref or branch */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description conflict with the current state */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description request body too large (PAYLOAD_TOO_LARGE) */
        413: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description nothing to commit (NOTHING_TO_COMMIT) */
        422: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
      }
    }
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/pending/{projectId}/{userId}': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /** The user's pending changes */
    get: {
      parameters: {
        query?: never
        header?: never
        path: {
          projectId: string
          userId: string
        }
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description pending changes */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              changes: components['schemas']['PendingChange'][]
            }
          }
        }
        /** @description invalid input (VALIDATION_FAILED, INVALID_JSON, INVALID_PATH, INVALID_REF_NAME) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description missing, wrong, expired or revoked key (UNAUTHORIZED) */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description the key lacks the scope this needs (FORBIDDEN) */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description unknown project, path, ref or branch */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
      }
    }
    put?: never
    post?: never
    /** Discard all of the user's pending changes */
    delete: {
      parameters: {
        query?: never
        header?: never
        path: {
          projectId: string
          userId: string
        }
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description how many were discarded */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              discarded: number
            }
          }
        }
        /** @description invalid input (VALIDATION_FAILED, INVALID_JSON, INVALID_PATH, INVALID_REF_NAME) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description missing, wrong, expired or revoked key (UNAUTHORIZED) */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description the key lacks the scope this needs (FORBIDDEN) */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description unknown project, path, ref or branch */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
      }
    }
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/pending/{projectId}/{userId}/delete/{path}': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    /** Record a pending deletion (a path that is only a pending creation is just discarded) */
    post: {
      parameters: {
        query?: never
        header?: {
          /** @description the pending version last seen */
          'if-match'?: string
          /** @description * to create only */
          'if-none-match'?: string
        }
        path: {
          projectId: string
          userId: string
          /** @description repository-relative path; may contain "/"; percent-encoded bytes (`caf%E8.txt`) name a path that is not UTF-8 */
          path: string
        }
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description the pending deletion, or action null when nothing remains pending */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json':
              | components['schemas']['PendingChange']
              | {
                  path: string
                  action: unknown
                }
          }
        }
        /** @description invalid input (VALIDATION_FAILED, INVALID_JSON, INVALID_PATH, INVALID_REF_NAME) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description missing, wrong, expired or revoked key (UNAUTHORIZED) */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description the key lacks the scope this needs (FORBIDDEN) */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description unknown project, path, ref or branch */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description the pending version changed (PRECONDITION_FAILED) */
        412: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
      }
    }
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/pending/{projectId}/{userId}/{path}': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /** The pending content of one path; ETag is the version */
    get: {
      parameters: {
        query?: never
        header?: never
        path: {
          projectId: string
          userId: string
          /** @description repository-relative path; may contain "/"; percent-encoded bytes (`caf%E8.txt`) name a path that is not UTF-8 */
          path: string
        }
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description the pending content */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/octet-stream': string
          }
        }
        /** @description invalid input (VALIDATION_FAILED, INVALID_JSON, INVALID_PATH, INVALID_REF_NAME) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description missing, wrong, expired or revoked key (UNAUTHORIZED) */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description the key lacks the scope this needs (FORBIDDEN) */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description unknown project, path, ref or branch */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
      }
    }
    /** Autosave the user's uncommitted content (durable when answered); ETag is the version */
    put: {
      parameters: {
        query?: never
        header?: {
          /** @description the pending version last seen */
          'if-match'?: string
          /** @description * to create only */
          'if-none-match'?: string
        }
        path: {
          projectId: string
          userId: string
          /** @description repository-relative path; may contain "/"; percent-encoded bytes (`caf%E8.txt`) name a path that is not UTF-8 */
          path: string
        }
        cookie?: never
      }
      /** @description the content */
      requestBody?: {
        content: {
          'application/octet-stream': string
        }
      }
      responses: {
        /** @description saved */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['PendingChange']
          }
        }
        /** @description invalid input (VALIDATION_FAILED, INVALID_JSON, INVALID_PATH, INVALID_REF_NAME) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description missing, wrong, expired or revoked key (UNAUTHORIZED) */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description the key lacks the scope this needs (FORBIDDEN) */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description unknown project, path, ref or branch */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description conflict with the current state */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description the pending version changed (PRECONDITION_FAILED) */
        412: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description request body too large (PAYLOAD_TOO_LARGE) */
        413: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
      }
    }
    post?: never
    /** Discard one pending change */
    delete: {
      parameters: {
        query?: never
        header?: never
        path: {
          projectId: string
          userId: string
          /** @description repository-relative path; may contain "/"; percent-encoded bytes (`caf%E8.txt`) name a path that is not UTF-8 */
          path: string
        }
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description discarded */
        204: {
          headers: {
            [name: string]: unknown
          }
          content?: never
        }
        /** @description invalid input (VALIDATION_FAILED, INVALID_JSON, INVALID_PATH, INVALID_REF_NAME) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description missing, wrong, expired or revoked key (UNAUTHORIZED) */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description the key lacks the scope this needs (FORBIDDEN) */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description unknown project, path, ref or branch */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
      }
    }
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/projects/{projectId}/commits': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    /** Commit the user's pending changes (all, or `paths`) and clear them, atomically */
    post: {
      parameters: {
        query?: never
        header?: never
        path: {
          projectId: string
        }
        cookie?: never
      }
      requestBody: {
        content: {
          'application/json': {
            /** @example ada */
            userId: string
            message: string
            author: {
              name: string
              email: string
            }
            paths?: string[]
            /** @description more paths to commit, as base64 of their bytes */
            pathBytes?: string[]
            branch?: string
            /** @description 409 REF_CONFLICT if the branch is elsewhere when the commit takes its turn; without it, commits of a branch take turns and each lands on the head it finds */
            expectedHead?: string
          }
        }
      }
      responses: {
        /** @description committed */
        201: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['CommitCreated']
          }
        }
        /** @description invalid input (VALIDATION_FAILED, INVALID_JSON, INVALID_PATH, INVALID_REF_NAME) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description missing, wrong, expired or revoked key (UNAUTHORIZED) */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description the key lacks the scope this needs (FORBIDDEN) */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description unknown project, path, ref or branch */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description conflict with the current state */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description nothing to commit (NOTHING_TO_COMMIT) */
        422: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
      }
    }
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/projects/{projectId}/log': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /** History newest first, like `git log [-- path]`, a page at a time */
    get: {
      parameters: {
        query?: {
          ref?: string
          path?: string
          limit?: number
          /** @description a page's `next` */
          cursor?: string
          /** @description with `path`: follow it across renames and copies, like `git log --follow` */
          follow?: '0' | '1' | 'true' | 'false'
        }
        header?: never
        path: {
          projectId: string
        }
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description a page of commits */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              commits: components['schemas']['Commit'][]
              next: string | null
            }
          }
        }
        /** @description invalid input (VALIDATION_FAILED, INVALID_JSON, INVALID_PATH, INVALID_REF_NAME) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description missing, wrong, expired or revoked key (UNAUTHORIZED) */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description the key lacks the scope this needs (FORBIDDEN) */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description unknown project, path, ref or branch */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
      }
    }
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/projects/{projectId}/commits/{oid}': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /** A commit and the paths it changed (relative to its first parent) */
    get: {
      parameters: {
        query?: never
        header?: never
        path: {
          projectId: string
          oid: string
        }
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description the commit */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Commit'] & {
              changes: components['schemas']['Change'][]
            }
          }
        }
        /** @description invalid input (VALIDATION_FAILED, INVALID_JSON, INVALID_PATH, INVALID_REF_NAME) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description missing, wrong, expired or revoked key (UNAUTHORIZED) */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description the key lacks the scope this needs (FORBIDDEN) */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description unknown project, path, ref or branch */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
      }
    }
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/projects/{projectId}/diff': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /** Changes between two refs, like `git diff --name-status --no-renames` (or `-M`, `-C`); or a patch */
    get: {
      parameters: {
        query: {
          from: string
          /** @description default: the default branch */
          to?: string
          path?: string
          format?: 'json' | 'patch'
          /** @description git's rename detection (`git diff -M`): status R with oldPath, similarity */
          renames?: '0' | '1' | 'true' | 'false'
          /** @description copies too (`git diff -C`): status C; implies renames */
          copies?: '0' | '1' | 'true' | 'false'
        }
        header?: never
        path: {
          projectId: string
        }
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description the changes (JSON), or with format=patch a unified diff */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              changes: components['schemas']['Change'][]
              /** @description with renames or copies: true when detection stopped at a limit (GITPG_RENAME_LIMIT, _MAX_BYTES, _MAX_STEPS), as git past diff.renameLimit: exact renames only, the rest added and deleted */
              renamesLimited?: boolean
            }
            'text/x-diff': string
          }
        }
        /** @description invalid input (VALIDATION_FAILED, INVALID_JSON, INVALID_PATH, INVALID_REF_NAME) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description missing, wrong, expired or revoked key (UNAUTHORIZED) */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description the key lacks the scope this needs (FORBIDDEN) */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description unknown project, path, ref or branch */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description request body too large (PAYLOAD_TOO_LARGE) */
        413: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
      }
    }
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/projects/{projectId}/grep': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /** Search file contents like `git grep -n -I [-i] [-F|-E] -e <pattern> <ref> -- <path>`, a page at a time */
    get: {
      parameters: {
        query: {
          /** @description a fixed string, or with regex=true RE2 syntax */
          pattern: string
          regex?: '0' | '1' | 'true' | 'false'
          ignoreCase?: '0' | '1' | 'true' | 'false'
          ref?: string
          /** @description a git pathspec: a prefix, or a glob whose `*` also matches `/` */
          path?: string
          context?: number | null
          userId?: string
          limit?: number
          /** @description a page's `next` */
          cursor?: string
        }
        header?: never
        path: {
          projectId: string
        }
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description a page of matching lines, in path order then line order */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              matches: components['schemas']['GrepMatch'][]
              next: string | null
            }
          }
        }
        /** @description invalid input (VALIDATION_FAILED, INVALID_JSON, INVALID_PATH, INVALID_REF_NAME) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description missing, wrong, expired or revoked key (UNAUTHORIZED) */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description the key lacks the scope this needs (FORBIDDEN) */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description unknown project, path, ref or branch */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description nothing to commit (NOTHING_TO_COMMIT) */
        422: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description error */
        503: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
      }
    }
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/projects/{projectId}/blame/{path}': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /** Who wrote each line, like `git blame --porcelain <ref> [-L start,end] -- <path>`, following whole-file renames */
    get: {
      parameters: {
        query?: {
          /** @description branch, tag or commit id */
          ref?: string
          /** @description first line (1-based) */
          start?: number
          /** @description last line; past the end: the end */
          end?: number
          /** @description blame this user's pending version: its new lines belong to commit 000…0 (Not Committed Yet), as git blame shows changes of a work tree */
          userId?: string
        }
        header?: never
        path: {
          projectId: string
          /** @description repository-relative path; may contain "/"; percent-encoded bytes (`caf%E8.txt`) name a path that is not UTF-8 */
          path: string
        }
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description each line of the range, and the commits they name */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              /** @description the commit blamed from */
              head: string
              /** @description the file's blob id */
              oid: string
              lineCount: number
              lines: components['schemas']['BlameLine'][]
              commits: {
                [key: string]: components['schemas']['BlameCommit']
              }
            }
          }
        }
        /** @description invalid input (VALIDATION_FAILED, INVALID_JSON, INVALID_PATH, INVALID_REF_NAME) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description missing, wrong, expired or revoked key (UNAUTHORIZED) */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description the key lacks the scope this needs (FORBIDDEN) */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description unknown project, path, ref or branch */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description request body too large (PAYLOAD_TOO_LARGE) */
        413: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description nothing to commit (NOTHING_TO_COMMIT) */
        422: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
      }
    }
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/projects/{projectId}/branches': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /** List branches */
    get: {
      parameters: {
        query?: never
        header?: never
        path: {
          projectId: string
        }
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description branches */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              branches: components['schemas']['Branch'][]
            }
          }
        }
        /** @description invalid input (VALIDATION_FAILED, INVALID_JSON, INVALID_PATH, INVALID_REF_NAME) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description missing, wrong, expired or revoked key (UNAUTHORIZED) */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description the key lacks the scope this needs (FORBIDDEN) */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description unknown project, path, ref or branch */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
      }
    }
    put?: never
    /** Create a branch at a ref (default: the default branch) */
    post: {
      parameters: {
        query?: never
        header?: never
        path: {
          projectId: string
        }
        cookie?: never
      }
      requestBody: {
        content: {
          'application/json': {
            name: string
            from?: string
          }
        }
      }
      responses: {
        /** @description created */
        201: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Branch']
          }
        }
        /** @description invalid input (VALIDATION_FAILED, INVALID_JSON, INVALID_PATH, INVALID_REF_NAME) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description missing, wrong, expired or revoked key (UNAUTHORIZED) */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description the key lacks the scope this needs (FORBIDDEN) */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description unknown project, path, ref or branch */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description conflict with the current state */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
      }
    }
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/projects/{projectId}/branches/{name}': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    post?: never
    /** Delete a branch (not the default branch) */
    delete: {
      parameters: {
        query?: never
        header?: never
        path: {
          projectId: string
          name: string
        }
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description deleted */
        204: {
          headers: {
            [name: string]: unknown
          }
          content?: never
        }
        /** @description invalid input (VALIDATION_FAILED, INVALID_JSON, INVALID_PATH, INVALID_REF_NAME) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description missing, wrong, expired or revoked key (UNAUTHORIZED) */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description the key lacks the scope this needs (FORBIDDEN) */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description unknown project, path, ref or branch */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description conflict with the current state */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
      }
    }
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/projects/{projectId}/tags': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /** List tags by name, annotated ones peeled */
    get: {
      parameters: {
        query?: never
        header?: never
        path: {
          projectId: string
        }
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description tags */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              tags: components['schemas']['Tag'][]
            }
          }
        }
        /** @description invalid input (VALIDATION_FAILED, INVALID_JSON, INVALID_PATH, INVALID_REF_NAME) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description missing, wrong, expired or revoked key (UNAUTHORIZED) */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description the key lacks the scope this needs (FORBIDDEN) */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description unknown project, path, ref or branch */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
      }
    }
    put?: never
    /** Create a tag: lightweight without `message`, annotated (as `git tag -a -m`) with one; 409 TAG_EXISTS when it exists */
    post: {
      parameters: {
        query?: never
        header?: never
        path: {
          projectId: string
        }
        cookie?: never
      }
      requestBody: {
        content: {
          'application/json': {
            name: string
            /** @description branch, tag or commit id; default: the default branch */
            target?: string
            /** @description cleaned up as git does (comment lines dropped) */
            message?: string
            /** @description default: gitpg <gitpg@localhost>, now, UTC */
            tagger?: {
              name: string
              email: string
              timestamp?: number
              timezoneOffset?: number
            }
          }
        }
      }
      responses: {
        /** @description created */
        201: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Tag']
          }
        }
        /** @description invalid input (VALIDATION_FAILED, INVALID_JSON, INVALID_PATH, INVALID_REF_NAME) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description missing, wrong, expired or revoked key (UNAUTHORIZED) */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description the key lacks the scope this needs (FORBIDDEN) */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description unknown project, path, ref or branch */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description conflict with the current state */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
      }
    }
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/projects/{projectId}/tags/{name}': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    post?: never
    /** Delete a tag */
    delete: {
      parameters: {
        query?: never
        header?: never
        path: {
          projectId: string
          name: string
        }
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description deleted */
        204: {
          headers: {
            [name: string]: unknown
          }
          content?: never
        }
        /** @description invalid input (VALIDATION_FAILED, INVALID_JSON, INVALID_PATH, INVALID_REF_NAME) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description missing, wrong, expired or revoked key (UNAUTHORIZED) */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description the key lacks the scope this needs (FORBIDDEN) */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description unknown project, path, ref or branch */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description conflict with the current state */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
      }
    }
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/projects/{projectId}/storage': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /** A project's objects, their stored bytes, what is reclaimable, the last maintenance */
    get: {
      parameters: {
        query?: {
          /** @description count what a maintenance run would remove now (a dry run; slower) */
          reclaimable?: boolean
          /** @description like git gc --prune: now, never, 2.weeks.ago, 14.days, 12h or a date */
          prune?: string
        }
        header?: never
        path: {
          projectId: string
        }
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description the storage report */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Storage']
          }
        }
        /** @description invalid input (VALIDATION_FAILED, INVALID_JSON, INVALID_PATH, INVALID_REF_NAME) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description missing, wrong, expired or revoked key (UNAUTHORIZED) */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description the key lacks the scope this needs (FORBIDDEN) */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description unknown project, path, ref or branch */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description conflict with the current state */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
      }
    }
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/projects/{projectId}/maintenance': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    /** Run maintenance now: collect garbage older than the prune age, repack (409 when busy) */
    post: {
      parameters: {
        query?: never
        header?: never
        path: {
          projectId: string
        }
        cookie?: never
      }
      requestBody?: {
        content: {
          'application/json': {
            /**
             * @description like git gc --prune: now, never, 2.weeks.ago, 14.days, 12h or a date
             * @example 2.weeks.ago
             */
            prune?: string
            dryRun?: boolean
          }
        }
      }
      responses: {
        /** @description what the run did */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['MaintenanceReport']
          }
        }
        /** @description invalid input (VALIDATION_FAILED, INVALID_JSON, INVALID_PATH, INVALID_REF_NAME) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description missing, wrong, expired or revoked key (UNAUTHORIZED) */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description the key lacks the scope this needs (FORBIDDEN) */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description unknown project, path, ref or branch */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description conflict with the current state */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
      }
    }
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/projects/{projectId}/import': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    /** Create the project (if new) and import it from a git remote (GitHub or any smart-HTTP host) */
    post: {
      parameters: {
        query?: never
        header?: never
        path: {
          projectId: string
        }
        cookie?: never
      }
      requestBody: {
        content: {
          'application/json': {
            /** @example https://github.com/octo/hello.git */
            url: string
            /** @description the remote's default branch by default */
            branch?: string
            allBranches?: boolean
            depth?: number
            /** @description token for the remote, sent to the remote's own host only; without it, the server's GITHUB_TOKEN, which is sent only to the configured GitHub (GITHUB_URL) */
            token?: string
            /**
             * Format: uri
             * @description GitHub Enterprise API, e.g. https://ghe.example.com/api/v3, for pull requests; the server's GITHUB_TOKEN is never sent to it unless it is the configured GitHub's
             */
            githubApiUrl?: string
          }
        }
      }
      responses: {
        /** @description existing project updated from the remote */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              [key: string]: unknown
            }
          }
        }
        /** @description project created and imported */
        201: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['ImportResult']
          }
        }
        /** @description invalid input (VALIDATION_FAILED, INVALID_JSON, INVALID_PATH, INVALID_REF_NAME) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description missing, wrong, expired or revoked key (UNAUTHORIZED) */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description the key lacks the scope this needs (FORBIDDEN) */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description unknown project, path, ref or branch */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description conflict with the current state */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description nothing to commit (NOTHING_TO_COMMIT) */
        422: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description error */
        429: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description error */
        502: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
      }
    }
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/projects/{projectId}/pull': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    /** Fetch the project's remote and fast-forward; report changed paths and pending conflicts */
    post: {
      parameters: {
        query?: never
        header?: never
        path: {
          projectId: string
        }
        cookie?: never
      }
      requestBody?: {
        content: {
          'application/json': {
            branch?: string
            /** @description token for the remote, sent to the remote's own host only; without it, the server's GITHUB_TOKEN, which is sent only to the configured GitHub (GITHUB_URL) */
            token?: string
            /** @description merge diverged branches instead of answering 409 DIVERGED */
            merge?: boolean
            /** @description author of a merge commit */
            author?: {
              name: string
              email: string
            }
          }
        }
      }
      responses: {
        /** @description pulled */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['PullResult']
          }
        }
        /** @description invalid input (VALIDATION_FAILED, INVALID_JSON, INVALID_PATH, INVALID_REF_NAME) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description missing, wrong, expired or revoked key (UNAUTHORIZED) */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description the key lacks the scope this needs (FORBIDDEN) */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description unknown project, path, ref or branch */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description conflict with the current state */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description nothing to commit (NOTHING_TO_COMMIT) */
        422: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description error */
        429: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description error */
        502: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
      }
    }
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/projects/{projectId}/push': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    /** Push a branch to the project's remote; optionally open a pull request */
    post: {
      parameters: {
        query?: never
        header?: never
        path: {
          projectId: string
        }
        cookie?: never
      }
      requestBody?: {
        content: {
          'application/json': {
            branch?: string
            remoteBranch?: string
            /** @description token for the remote, sent to the remote's own host only; without it, the server's GITHUB_TOKEN, which is sent only to the configured GitHub (GITHUB_URL) */
            token?: string
            force?: boolean
            pullRequest?: {
              title: string
              body?: string
              base?: string
            }
          }
        }
      }
      responses: {
        /** @description pushed (or already there) */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['PushResult']
          }
        }
        /** @description invalid input (VALIDATION_FAILED, INVALID_JSON, INVALID_PATH, INVALID_REF_NAME) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description missing, wrong, expired or revoked key (UNAUTHORIZED) */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description the key lacks the scope this needs (FORBIDDEN) */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description unknown project, path, ref or branch */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description conflict with the current state */
        409: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description nothing to commit (NOTHING_TO_COMMIT) */
        422: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description error */
        429: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description error */
        502: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
      }
    }
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/projects/{projectId}/export.bundle': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /** The project as a git bundle (v2) of all its refs; `git clone x.bundle` takes it */
    get: {
      parameters: {
        query?: never
        header?: never
        path: {
          projectId: string
        }
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description a git bundle, streamed */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/x-git-bundle': string
          }
        }
      }
    }
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/keys': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /** List the scoped keys (never the keys themselves) */
    get: {
      parameters: {
        query?: never
        header?: never
        path?: never
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description the keys */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              keys: components['schemas']['Key'][]
            }
          }
        }
        /** @description missing, wrong, expired or revoked key (UNAUTHORIZED) */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description the key lacks the scope this needs (FORBIDDEN) */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
      }
    }
    put?: never
    /**
     * Create a key limited to projects and a scope (the configured key only)
     * @description The answer holds the key itself, shown this once: only its hash is stored.
     */
    post: {
      parameters: {
        query?: never
        header?: never
        path?: never
        cookie?: never
      }
      requestBody: {
        content: {
          'application/json': {
            projects: string[]
            /**
             * @description read: reads, history, grep, blame, clone and fetch, the change feed; write: also pending changes, commits, branches, push and pull; admin: everything on the projects
             * @enum {string}
             */
            scope: 'read' | 'write' | 'admin'
            /** Format: date-time */
            expiresAt?: string
          }
        }
      }
      responses: {
        /** @description the new key */
        201: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Key'] & {
              /** @example gitpg_… */
              key: string
            }
          }
        }
        /** @description invalid input (VALIDATION_FAILED, INVALID_JSON, INVALID_PATH, INVALID_REF_NAME) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description missing, wrong, expired or revoked key (UNAUTHORIZED) */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description the key lacks the scope this needs (FORBIDDEN) */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
      }
    }
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/keys/{id}': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    get?: never
    put?: never
    post?: never
    /** Revoke a key: refused everywhere within the key cache TTL (10 s by default) */
    delete: {
      parameters: {
        query?: never
        header?: never
        path: {
          id: string
        }
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description the revoked key */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Key']
          }
        }
        /** @description missing, wrong, expired or revoked key (UNAUTHORIZED) */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description the key lacks the scope this needs (FORBIDDEN) */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description unknown project, path, ref or branch */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
      }
    }
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
  '/projects/{projectId}/changes': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /** Change feed: events after a cursor; a live stream with Accept: text/event-stream */
    get: {
      parameters: {
        query?: {
          /** @description cursor; default: the oldest kept */
          since?: string
          /** @description 1 to 5000, default 500 */
          limit?: string
        }
        header?: {
          /** @description resume a stream */
          'last-event-id'?: string
        }
        path: {
          projectId: string
        }
        cookie?: never
      }
      requestBody?: never
      responses: {
        /** @description a page of events, or a text/event-stream of them */
        200: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': {
              changes: components['schemas']['ChangeEvent'][]
              cursor: string
            }
            'text/event-stream': string
          }
        }
        /** @description invalid input (VALIDATION_FAILED, INVALID_JSON, INVALID_PATH, INVALID_REF_NAME) */
        400: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description missing, wrong, expired or revoked key (UNAUTHORIZED) */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description the key lacks the scope this needs (FORBIDDEN) */
        403: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description unknown project, path, ref or branch */
        404: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description error */
        410: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
      }
    }
    put?: never
    post?: never
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
}
export type webhooks = Record<string, never>
export interface components {
  schemas: {
    Project: {
      id: string
      defaultBranch: string
      /** @description default branch commit; null when empty */
      head: string | null
      remote: {
        [key: string]: unknown
      } | null
    }
    Error: {
      /**
       * @example {
       *       "code": "PROJECT_NOT_FOUND",
       *       "message": "project x does not exist"
       *     }
       */
      error: {
        code: string
        message: string
      } & {
        [key: string]: unknown
      }
    }
    FileEntry: {
      path: string
      /** @description base64 of the path's exact bytes (for names that are not UTF-8) */
      pathBytes?: string
      oid: string
      size: number
      mode: string
      /** @description with userId: true for the user's pending version */
      pending?: boolean
    }
    FileCommit: {
      commit: string
      branch: string
      parent: string | null
      path: string
      /** @description base64 of the path's exact bytes (for names that are not UTF-8) */
      pathBytes?: string
    }
    PendingDiffChange: {
      path: string
      /** @description base64 of the path's exact bytes (for names that are not UTF-8) */
      pathBytes?: string
      /** @enum {string} */
      status: 'A' | 'M' | 'D' | 'T'
      oldOid: string | null
      newOid: string | null
      oldMode: string | null
      newMode: string | null
    }
    PendingChange: {
      path: string
      /** @description base64 of the path's exact bytes (for names that are not UTF-8) */
      pathBytes?: string
      /** @enum {string} */
      action: 'created' | 'modified' | 'deleted'
      /** @description blob id of the content; null if deleted */
      oid: string | null
      size: number
      /** @description the ETag to send back in If-Match */
      version: string
      /** Format: date-time */
      updatedAt: string
    }
    CommitCreated: {
      commit: string
      branch: string
      parent: string | null
      /** @description the pending paths committed */
      paths: string[]
      /** @description when a committed path is not UTF-8: its bytes, by index */
      pathBytes?: (string | null)[]
    }
    Commit: {
      oid: string
      message: string
      author: components['schemas']['Signature']
      committer: components['schemas']['Signature']
      parents: string[]
      tree: string
    }
    Signature: {
      name: string
      email: string
      /** @description seconds since the epoch */
      timestamp: number
      /** @description minutes east of UTC */
      timezoneOffset: number
    }
    Change: {
      path: string
      pathBytes?: string
      /** @enum {string} */
      status: 'A' | 'M' | 'D' | 'T' | 'R' | 'C'
      /** @description the source of an R (rename) or C (copy) */
      oldPath?: string
      oldPathBytes?: string
      /** @description of an R or C: percent, as git prints it (R087) */
      similarity?: number
      oldOid: string | null
      newOid: string | null
      oldMode: string | null
      newMode: string | null
    }
    GrepMatch: {
      path: string
      /** @description base64 of the path's exact bytes (for names that are not UTF-8) */
      pathBytes?: string
      /** @description 1-based line number */
      line: number
      /** @description the line without its newline */
      text: string
      /** @description base64 of the line's exact bytes, when they are not UTF-8 */
      textBytes?: string
      before?: string[]
      after?: string[]
    }
    BlameLine: {
      /** @description 1-based line of the file */
      line: number
      commit: string
      /** @description the path the line had in `commit` */
      origPath: string
      /** @description base64 of the path's exact bytes (for names that are not UTF-8) */
      origPathBytes?: string
      /** @description 1-based line in `origPath` at `commit` */
      origLine: number
    }
    BlameCommit: {
      author: components['schemas']['Signature']
      committer: components['schemas']['Signature']
      summary: string
      /** @description the commit has no parent */
      boundary: boolean
      /** @description the file's version before `commit` changed it */
      previous: {
        commit: string
        path: string
        /** @description base64 of the path's exact bytes (for names that are not UTF-8) */
        pathBytes?: string
      } | null
    }
    Branch: {
      name: string
      oid: string
      default: boolean
    }
    Tag: {
      name: string
      /** @description the tag object (annotated) or the tagged object */
      oid: string
      /**
       * @description the type of `oid`: 'tag' when annotated
       * @enum {string}
       */
      type: 'commit' | 'tree' | 'blob' | 'tag'
      /** @description the object finally tagged (peeled) */
      target: string
      /** @enum {string} */
      targetType: 'commit' | 'tree' | 'blob' | 'tag'
      /** @description annotated tags only */
      message?: string
      tagger?: components['schemas']['Signature']
    }
    Storage: {
      /** @description object rows */
      objects: number
      wholeObjects: number
      deltaObjects: number
      /** @description bytes of the object rows as stored */
      storedBytes: number
      /** @description cold packs (old versions moved out of rows) */
      packs: number
      /** @description objects in cold packs */
      packedObjects: number
      /** @description bytes of the cold packs, their data and indexes */
      packedBytes: number
      /** @description with `reclaimable=true`: what maintenance would remove now */
      reclaimable?: {
        objects: number
        bytes: number
      }
      lastMaintenance: {
        at: string
        report: components['schemas']['MaintenanceReport']
      } | null
    }
    MaintenanceReport: {
      repoId: number
      gc: components['schemas']['GcReport']
      repack: components['schemas']['RepackReport']
      archive?: components['schemas']['ArchiveReport']
      ms: number
    }
    GcReport: {
      reachable: number
      unreachable: number
      /** @description objects removed (dry run: would be) */
      deleted: number
      /** @description unreachable, within the prune age */
      kept: number
      bytesFreed: number
      /** @description of `deleted`, removed from packs (absent before packs) */
      fromPacks?: number
      rebased: number
      rescued: number
      ms: number
    }
    RepackReport: {
      considered: number
      deltified: number
      rebased: number
      bytesBefore: number
      bytesAfter: number
      ms: number
    }
    /** @description objects moved into packs (absent in reports of runs before packs) */
    ArchiveReport: {
      /** @description reachable rows no ref's head shows */
      cold: number
      /** @description of those, kept as rows: rows that stay delta on them */
      heldAsBases: number
      /** @description hot rows stored again on a hot base, so the cold ones below could be packed */
      rerooted: number
      /** @description of those, kept as rows: the versions of their path take less space so */
      cheaperAsRows: number
      /** @description moved from rows into packs */
      archived: number
      packsWritten: number
      /** @description small packs merged */
      packsMerged: number
      /** @description packs the merges wrote */
      mergedInto: number
      /** @description stored bytes of the archived rows */
      bytesBefore: number
      /** @description bytes of the packs written */
      bytesAfter: number
      ms: number
    }
    ImportResult: {
      [key: string]: unknown
    }
    PullResult: {
      branch: string
      from: string | null
      to: string | null
      upToDate: boolean
      merged: boolean
      changedPaths: string[]
      /** @description when a changed path is not UTF-8: its bytes, by index */
      changedPathBytes?: (string | null)[]
      conflicts: {
        path: string
        /** @description base64 of the path's exact bytes (for names that are not UTF-8) */
        pathBytes?: string
        users: string[]
      }[]
      objects: number
    }
    PushResult: {
      branch: string
      remoteBranch: string
      from: string | null
      to: string
      pushed: boolean
      objects: number
      pullRequest?: {
        url: string
        number: number
      }
    }
    Key: {
      /** @example key_3f2a9c0d1e4b5a6c */
      id: string
      projects: string[]
      /**
       * @description read: reads, history, grep, blame, clone and fetch, the change feed; write: also pending changes, commits, branches, push and pull; admin: everything on the projects
       * @enum {string}
       */
      scope: 'read' | 'write' | 'admin'
      expiresAt: string | null
      createdAt: string
      revokedAt: string | null
    }
    ChangeEvent: {
      cursor: string
      /** @enum {string} */
      kind: 'pending.saved' | 'pending.deleted' | 'pending.discarded' | 'ref.updated'
      userId: string | null
      path: string | null
      /** @description base64 of a path that is not UTF-8 */
      pathBytes?: string
      createdAt: string
    } & {
      [key: string]: unknown
    }
  }
  responses: never
  parameters: never
  requestBodies: never
  headers: never
  pathItems: never
}
export type $defs = Record<string, never>
export type operations = Record<string, never>

/** Every error code the server answers with. */
export type ServerErrorCode =
  | 'AMBIGUOUS_REF'
  | 'AUTH_FAILED'
  | 'BAD_BUNDLE'
  | 'BAD_OBJECT'
  | 'BAD_PACK'
  | 'BAD_REMOTE_URL'
  | 'BAD_REQUEST'
  | 'BLAME_TOO_COSTLY'
  | 'BLAME_TOO_LARGE'
  | 'BRANCH_EXISTS'
  | 'BRANCH_NOT_FOUND'
  | 'CORRUPT_OBJECT'
  | 'CURSOR_EXPIRED'
  | 'DATABASE_UNAVAILABLE'
  | 'DEFAULT_BRANCH'
  | 'DIVERGED'
  | 'FOLLOW_NEEDS_PATH'
  | 'FORBIDDEN'
  | 'GREP_TIMEOUT'
  | 'INTERNAL'
  | 'INVALID_CURSOR'
  | 'INVALID_JSON'
  | 'INVALID_PATH'
  | 'INVALID_PATTERN'
  | 'INVALID_PRUNE_AGE'
  | 'INVALID_REF_NAME'
  | 'KEY_NOT_FOUND'
  | 'LINE_OUT_OF_RANGE'
  | 'LISTING_TOO_LARGE'
  | 'MAINTENANCE_RUNNING'
  | 'MERGE_CONFLICT'
  | 'MISSING_OBJECTS'
  | 'NON_FAST_FORWARD'
  | 'NOTHING_TO_COMMIT'
  | 'NOT_FOUND'
  | 'NO_REMOTE'
  | 'OBJECT_NOT_FOUND'
  | 'OBJECT_TOO_LARGE'
  | 'PACK_BASE_CONFLICT'
  | 'PATCH_TOO_LARGE'
  | 'PATH_CONFLICT'
  | 'PATH_NOT_FOUND'
  | 'PAYLOAD_TOO_LARGE'
  | 'PENDING_CONFLICT'
  | 'PENDING_NOT_FOUND'
  | 'PRECONDITION_FAILED'
  | 'PROJECT_NOT_FOUND'
  | 'PROTOCOL_ERROR'
  | 'PULL_REQUEST_FAILED'
  | 'PULL_REQUEST_UNSUPPORTED'
  | 'RATE_LIMITED'
  | 'REF_CONFLICT'
  | 'REF_NOT_FOUND'
  | 'REMOTE_BRANCH_NOT_FOUND'
  | 'REMOTE_NOT_FOUND'
  | 'REMOTE_PROTOCOL_ERROR'
  | 'REMOTE_REJECTED'
  | 'REMOTE_UNREACHABLE'
  | 'REPO_NOT_FOUND'
  | 'SERVER_BUSY'
  | 'TAG_EXISTS'
  | 'TAG_NOT_FOUND'
  | 'TOO_MANY_PATHS'
  | 'UNAUTHORIZED'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'VALIDATION_FAILED'
