import { InvalidRefNameError } from '../errors.ts'

/** Why `name` breaks git's check-ref-format rules, or null when it is a valid ref name. */
export function refNameProblem(name: string): string | null {
  if (name.length === 0) return 'empty'
  if (name.length > 255) return 'longer than 255 characters'
  if (name === '@') return 'is "@"'
  if (name.startsWith('/') || name.endsWith('/')) return 'begins or ends with "/"'
  if (name.endsWith('.')) return 'ends with "."'
  if (name.includes('//')) return 'contains "//"'
  if (name.includes('..')) return 'contains ".."'
  if (name.includes('@{')) return 'contains "@{"'
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(name))
    return 'contains a control character, space or one of ~^:?*[\\'
  for (const part of name.split('/')) {
    if (part.startsWith('.')) return 'a component begins with "."'
    if (part.endsWith('.lock')) return 'a component ends with ".lock"'
  }
  return null
}

/** Throws `InvalidRefNameError` unless `name` is a valid ref (or branch) name. */
export function checkRefName(name: string): string {
  const problem = refNameProblem(name)
  if (problem) throw new InvalidRefNameError(name, problem)
  return name
}
