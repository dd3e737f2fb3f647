import type { ObjectType } from '../objects/git-object.ts'

/**
 * git's fsck message ids and their default severity (git's `fsck.h`). `fatal` and `error`
 * always refuse an object; `warn` refuses it under `--strict` (and `transfer.fsckObjects`
 * with strict checking, as here); `info` is reported but never refuses.
 */
export const FSCK_SEVERITY = {
  nulInHeader: 'fatal',
  unterminatedHeader: 'fatal',
  badDate: 'error',
  badDateOverflow: 'error',
  badEmail: 'error',
  badName: 'error',
  badObjectSha1: 'error',
  badParentSha1: 'error',
  badTimezone: 'error',
  badTree: 'error',
  badTreeSha1: 'error',
  badType: 'error',
  duplicateEntries: 'error',
  missingAuthor: 'error',
  missingCommitter: 'error',
  missingEmail: 'error',
  missingNameBeforeEmail: 'error',
  missingObject: 'error',
  missingSpaceBeforeDate: 'error',
  missingSpaceBeforeEmail: 'error',
  missingTag: 'error',
  missingTagEntry: 'error',
  missingTree: 'error',
  missingType: 'error',
  missingTypeEntry: 'error',
  multipleAuthors: 'error',
  treeNotSorted: 'error',
  unknownType: 'error',
  zeroPaddedDate: 'error',
  gitmodulesMissing: 'error',
  gitmodulesBlob: 'error',
  gitmodulesLarge: 'error',
  gitmodulesName: 'error',
  gitmodulesSymlink: 'error',
  gitmodulesUrl: 'error',
  gitmodulesPath: 'error',
  gitmodulesUpdate: 'error',
  gitattributesMissing: 'error',
  gitattributesLarge: 'error',
  gitattributesLineLength: 'error',
  gitattributesBlob: 'error',
  emptyName: 'warn',
  fullPathname: 'warn',
  hasDot: 'warn',
  hasDotdot: 'warn',
  hasDotgit: 'warn',
  nullSha1: 'warn',
  zeroPaddedFilemode: 'warn',
  nulInCommit: 'warn',
  largePathname: 'warn',
  badFilemode: 'info',
  gitmodulesParse: 'info',
  gitignoreSymlink: 'info',
  gitattributesSymlink: 'info',
  mailmapSymlink: 'info',
  badTagName: 'info',
  missingTaggerEntry: 'info',
  extraHeaderEntry: 'ignore',
} as const

export type FsckMessageId = keyof typeof FSCK_SEVERITY
export type FsckSeverity = (typeof FSCK_SEVERITY)[FsckMessageId]

/** One thing git's fsck says about an object. */
export interface FsckProblem {
  oid: string
  type: ObjectType
  id: FsckMessageId
  /** git's wording, e.g. `contains '.git'` */
  message: string
}

/** Whether `problem` refuses its object under strict checking. */
export function refuses(problem: FsckProblem): boolean {
  const severity: FsckSeverity = FSCK_SEVERITY[problem.id]
  return severity !== 'info' && severity !== 'ignore'
}

/** git's one-line report: `object <oid>: hasDotgit: contains '.git'`. */
export function describeProblem(problem: FsckProblem): string {
  return `object ${problem.oid}: ${problem.id}: ${problem.message}`
}
