import type { RenameOptions } from '../diff/renames/detect-renames.ts'
import type { Signature } from '../objects/commit.ts'

export interface FileEntry {
  path: string
  oid: string
  /** git mode as an octal string: 100644, 100755, 120000 (symlink), 160000 (submodule) */
  mode: string
  size: number
}

export interface FileContent extends FileEntry {
  content: Buffer
}

export interface CommitInfo {
  oid: string
  tree: string
  parents: string[]
  author: Signature
  committer: Signature
  message: string
}

export type ChangeStatus = 'A' | 'M' | 'D' | 'T'

export interface DiffEntry {
  path: string
  status: ChangeStatus
  oldOid: string | null
  newOid: string | null
  oldMode: string | null
  newMode: string | null
}

/** One change of a commit: write content (optionally with a mode), or delete the path. */
export type FileChange =
  | { path: string; action: 'write'; content: Buffer; mode?: '100644' | '100755' | '120000' }
  /** `ifPresent`: a path the base does not hold is left as it is instead of `PATH_NOT_FOUND` */
  | { path: string; action: 'delete'; ifPresent?: boolean }
  | { path: string; action: 'mode'; mode: '100644' | '100755' }

export interface AuthorInput {
  name: string
  email: string
  /** seconds since the epoch; now when omitted */
  timestamp?: number
  /** minutes east of UTC (git's sign: +0100 → 60) */
  timezoneOffset?: number
}

export interface CommitInput {
  branch: string
  changes: FileChange[]
  message: string
  author: AuthorInput
  committer?: AuthorInput
  /**
   * the head the caller built on (null: the branch must not exist), else `REF_CONFLICT`; omit to
   * commit on whatever head the branch has when its turn comes (commits of one branch take turns)
   */
  expectedHead?: string | null
}

export interface CommitResult {
  oid: string
  branch: string
  parent: string | null
  tree: string
}

export interface LogOptions {
  ref?: string
  path?: string
  limit?: number
  /** an opaque cursor from a previous page's `next` */
  cursor?: string
  /** with `path`: follow it across renames and copies, like `git log --follow` */
  follow?: boolean
  /** bounds and threshold of the rename detection `follow` runs */
  renames?: RenameOptions
}

export interface LogPage {
  commits: CommitInfo[]
  next: string | null
}

/** A change as rename detection sees it: `U` is an unmodified file, a copy source only. */
export interface RenameInput extends Omit<DiffEntry, 'status'> {
  status: ChangeStatus | 'U'
}

/** A change after rename detection: `R` renamed or `C` copied from `oldPath`. */
export interface RenameEntry extends Omit<DiffEntry, 'status'> {
  status: ChangeStatus | 'R' | 'C'
  /** the source path of an `R` or `C`, else null */
  oldPath: string | null
  /** git's score of an `R` or `C` (0–60000; 60000 is an exact rename), else null */
  score: number | null
}
