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
        /** @description missing or wrong API key (UNAUTHORIZED) */
        401: {
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
        /** @description missing or wrong API key (UNAUTHORIZED) */
        401: {
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
        /** @description missing or wrong API key (UNAUTHORIZED) */
        401: {
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
  '/files/{projectId}': {
    parameters: {
      query?: never
      header?: never
      path?: never
      cookie?: never
    }
    /** List files at a ref, optionally under a prefix */
    get: {
      parameters: {
        query?: {
          /** @description branch, tag or commit id */
          ref?: string
          prefix?: string
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
        /** @description missing or wrong API key (UNAUTHORIZED) */
        401: {
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
        /** @description missing or wrong API key (UNAUTHORIZED) */
        401: {
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
        /** @description missing or wrong API key (UNAUTHORIZED) */
        401: {
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
        /** @description missing or wrong API key (UNAUTHORIZED) */
        401: {
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
        /** @description missing or wrong API key (UNAUTHORIZED) */
        401: {
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
        /** @description missing or wrong API key (UNAUTHORIZED) */
        401: {
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
        /** @description missing or wrong API key (UNAUTHORIZED) */
        401: {
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
        /** @description missing or wrong API key (UNAUTHORIZED) */
        401: {
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
        /** @description missing or wrong API key (UNAUTHORIZED) */
        401: {
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
        /** @description missing or wrong API key (UNAUTHORIZED) */
        401: {
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
        /** @description missing or wrong API key (UNAUTHORIZED) */
        401: {
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
        /** @description missing or wrong API key (UNAUTHORIZED) */
        401: {
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
        /** @description missing or wrong API key (UNAUTHORIZED) */
        401: {
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
        /** @description missing or wrong API key (UNAUTHORIZED) */
        401: {
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
    /** Changes between two refs, like `git diff --name-status --no-renames`; or a patch */
    get: {
      parameters: {
        query: {
          from: string
          /** @description default: the default branch */
          to?: string
          path?: string
          format?: 'json' | 'patch'
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
        /** @description missing or wrong API key (UNAUTHORIZED) */
        401: {
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
        /** @description missing or wrong API key (UNAUTHORIZED) */
        401: {
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
        /** @description missing or wrong API key (UNAUTHORIZED) */
        401: {
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
        /** @description missing or wrong API key (UNAUTHORIZED) */
        401: {
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
        /** @description missing or wrong API key (UNAUTHORIZED) */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description error */
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
        /** @description missing or wrong API key (UNAUTHORIZED) */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description error */
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
        /** @description missing or wrong API key (UNAUTHORIZED) */
        401: {
          headers: {
            [name: string]: unknown
          }
          content: {
            'application/json': components['schemas']['Error']
          }
        }
        /** @description error */
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
        /** @description missing or wrong API key (UNAUTHORIZED) */
        401: {
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
    }
    FileCommit: {
      commit: string
      branch: string
      parent: string | null
      path: string
      /** @description base64 of the path's exact bytes (for names that are not UTF-8) */
      pathBytes?: string
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
      /** @enum {string} */
      status: 'A' | 'M' | 'D' | 'T'
      oldOid: string | null
      newOid: string | null
      oldMode: string | null
      newMode: string | null
    }
    Branch: {
      name: string
      oid: string
      default: boolean
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
  | 'BRANCH_EXISTS'
  | 'BRANCH_NOT_FOUND'
  | 'CURSOR_EXPIRED'
  | 'DATABASE_UNAVAILABLE'
  | 'DEFAULT_BRANCH'
  | 'DIVERGED'
  | 'INTERNAL'
  | 'INVALID_CURSOR'
  | 'INVALID_JSON'
  | 'INVALID_PATH'
  | 'INVALID_REF_NAME'
  | 'LISTING_TOO_LARGE'
  | 'MERGE_CONFLICT'
  | 'MISSING_OBJECTS'
  | 'NON_FAST_FORWARD'
  | 'NOTHING_TO_COMMIT'
  | 'NOT_FOUND'
  | 'NO_REMOTE'
  | 'OBJECT_NOT_FOUND'
  | 'OBJECT_TOO_LARGE'
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
  | 'TOO_MANY_PATHS'
  | 'UNAUTHORIZED'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'VALIDATION_FAILED'
