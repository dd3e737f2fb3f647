import type pg from 'pg'
import type { RepoInfo } from '../data/generate.ts'
import type { ApiClient } from './api-client.ts'
import type { GitHttpBackend } from './git-http-backend.ts'
import type { GitpgServer } from './gitpg-server.ts'
import type { Report } from './report.ts'

/** Repetitions per kind of operation; `--quick` lowers them. */
export interface Reps {
  /** sub-second reads, log, diff */
  latency: number
  /** commits */
  commit: number
  /** imports, clones, fresh-server reads */
  heavy: number
  /** seconds of autosave load */
  loadSeconds: number
}

/** gitpg's side: the server process and a client for it, or null when the server is not built. */
export interface GitpgSide {
  server: GitpgServer
  api: ApiClient
  /** restarts the server process (a cold server); `side.server` and `side.api` change */
  restart(): Promise<void>
  /** the highest peak RSS of every server process so far, and of the current one */
  peaks: number[]
}

export interface BenchContext {
  quick: boolean
  reps: Reps
  report: Report
  /** the repository the operations run on */
  repo: RepoInfo
  /** a non-bare clone of `repo` with a work tree: stock git's side */
  clone: string
  /** the project on gitpg holding `repo` once imported */
  project: string
  backend: GitHttpBackend
  gitpg: GitpgSide | null
  /** a client of the benchmark database */
  db: pg.Client
  /** the benchmark database, for a second gitpg server over the same data */
  databaseUrl: string
  /** where this run's logs go */
  work: string
  /** where scratch clones go */
  scratch: string
}
