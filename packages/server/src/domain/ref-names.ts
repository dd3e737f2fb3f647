import { InvalidRefNameError, refNameProblem } from '@gitpg/git-pg-fs'

/**
 * Checks something a caller passes as `ref` (a branch, tag, `HEAD` or a commit id) against git's
 * check-ref-format rules (one-level names allowed), so `main~1` or `a..b` never reach the store.
 */
export function checkRef(ref: string): string {
  const problem = refNameProblem(ref)
  if (problem) throw new InvalidRefNameError(ref, problem)
  return ref
}

/** Checks a branch name: a valid `refs/heads/<name>` that is neither `HEAD` nor starts with `-`. */
export function checkBranchName(name: string): string {
  const problem =
    refNameProblem(`refs/heads/${name}`) ??
    (name === 'HEAD' ? 'is "HEAD"' : name.startsWith('-') ? 'begins with "-"' : null) ??
    (name.startsWith('refs/') ? 'begins with "refs/"' : null)
  if (problem) throw new InvalidRefNameError(name, problem)
  return name
}

/** Checks a tag name as `git tag` does: a valid `refs/tags/<name>`, not `HEAD`, not `-...`. */
export function checkTagName(name: string): string {
  const problem =
    refNameProblem(`refs/tags/${name}`) ??
    (name === 'HEAD' ? 'is "HEAD"' : name.startsWith('-') ? 'begins with "-"' : null) ??
    (name.startsWith('refs/') ? 'begins with "refs/"' : null)
  if (problem) throw new InvalidRefNameError(name, problem)
  return name
}
