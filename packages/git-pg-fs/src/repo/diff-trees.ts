import type { TreeEntry } from '../objects/tree.ts'
import type { ObjectReader } from './object-reader.ts'
import { byPathBytes } from './tree-walk.ts'
import type { ChangeStatus, DiffEntry } from './types.ts'

type Scope = 'all' | 'partial' | 'none'

function scopeOf(parts: readonly string[], specs: readonly (readonly string[])[]): Scope {
  if (specs.length === 0) return 'all'
  let partial = false
  for (const s of specs) {
    const n = Math.min(s.length, parts.length)
    let match = true
    for (let i = 0; i < n; i++) if (s[i] !== parts[i]) match = false
    if (!match) continue
    if (s.length <= parts.length) return 'all'
    partial = true
  }
  return partial ? 'partial' : 'none'
}

const kind = (mode: string) => (mode.startsWith('100') ? 'file' : mode)

/**
 * Compares two trees like `git diff --name-status --no-renames`, reading only subtrees whose ids
 * differ, one batch per directory level. Results are in git's path order.
 */
export async function diffTrees({
  reader,
  from,
  to,
  paths = [],
}: {
  reader: ObjectReader
  from: string | null
  to: string | null
  paths?: readonly (readonly string[])[]
}): Promise<DiffEntry[]> {
  const out: DiffEntry[] = []
  let level = [{ parts: [] as string[], old: from, new: to }]
  while (level.length > 0) {
    const trees = await reader.trees(
      new Set(level.flatMap((l) => [l.old, l.new]).filter((o): o is string => o !== null)),
    )
    const next: typeof level = []
    for (const l of level) {
      const a = new Map((l.old ? trees.get(l.old)! : []).map((e) => [e.name, e]))
      const b = new Map((l.new ? trees.get(l.new)! : []).map((e) => [e.name, e]))
      for (const name of new Set([...a.keys(), ...b.keys()])) {
        const parts = [...l.parts, name]
        const scope = scopeOf(parts, paths)
        if (scope === 'none') continue
        const x = a.get(name)
        const y = b.get(name)
        if (x && y && x.oid === y.oid && x.mode === y.mode) continue
        const xTree = x?.type === 'tree' ? x : undefined
        const yTree = y?.type === 'tree' ? y : undefined
        if (xTree || yTree) next.push({ parts, old: xTree?.oid ?? null, new: yTree?.oid ?? null })
        if (scope === 'partial') continue
        const xf: TreeEntry | undefined = xTree ? undefined : x
        const yf: TreeEntry | undefined = yTree ? undefined : y
        if (!xf && !yf) continue
        let status: ChangeStatus
        if (xf && yf) status = kind(xf.mode) === kind(yf.mode) ? 'M' : 'T'
        else status = xf ? 'D' : 'A'
        out.push({
          path: parts.join('/'),
          status,
          oldOid: xf?.oid ?? null,
          newOid: yf?.oid ?? null,
          oldMode: xf?.mode ?? null,
          newMode: yf?.mode ?? null,
        })
      }
    }
    level = next
  }
  return byPathBytes(out)
}
