import { deflateSync } from 'node:zlib'
import type { GitObject, PackedForm } from '../../objects/git-object.ts'

/**
 * How `o` is stored: as its pack brought it (the entry's zlib bytes, whole or a delta), or its
 * content compressed here when it came without (API commits, resolved thin deltas).
 *
 * @example
 * const { data, base, depth } = storedForm(object)
 */
export function storedForm(o: GitObject): PackedForm {
  return o.packed ?? { data: deflateSync(o.content), base: null, depth: 0 }
}
