import { deflateSync } from 'node:zlib'
import { TYPE_CODE, type ObjectType } from '../../src/objects/git-object.ts'
import { createDelta } from '../../src/pack/create-delta.ts'
import type { Executor } from '../../src/store/postgres/database.ts'
import type { PackEntryInput } from '../../src/store/postgres/packs/index.ts'
import { catFileBatch, lines, type CatFileObject } from '../../../../test/support/git-cli.ts'
import { mulberry32 } from '../../../../test/support/mulberry32.ts'
import type { GitHistory } from './git-history.ts'

/**
 * A history with deltas for the packs' tests: text files edited in eight commits, a binary file
 * edited in place, a 200 KB file, a directory added halfway.
 */
export async function buildPackHistory(h: GitHistory): Promise<void> {
  const random = mulberry32(7)
  const text = (n: number, seed: string) =>
    Array.from({ length: n }, (_, i) => `${seed} line ${i} ${Math.floor(random() * 1e6)}\n`).join(
      '',
    )
  const binary = Buffer.from(Array.from({ length: 20_000 }, () => Math.floor(random() * 256)))
  let a = text(100, 'a')
  let b = text(50, 'b')
  let big = text(4000, 'big')
  for (let v = 1; v <= 8; v++) {
    a += `version ${v}\n`
    b = b.replace(`b line ${v}`, `B LINE ${v}`)
    big = big.replace(`big line ${v * 10} `, `BIG LINE ${v} `)
    binary[v * 100] = v
    const files: Record<string, string | Buffer> = {
      'a.txt': a,
      'dir/b.txt': b,
      'big.txt': big,
      'bin.dat': Buffer.from(binary),
    }
    if (v >= 4) files['dir/sub/c.txt'] = text(30, `c${v}`)
    await h.commit(files, `version ${v}`)
  }
}

/** The objects `git rev-list --objects --all` lists but the head commit's tree, and commits. */
export async function coldObjects(
  h: GitHistory,
): Promise<Map<string, CatFileObject & { path: string }>> {
  const all = await h.reachable()
  const head = new Set(
    lines(await h.git(['ls-tree', '-r', '-t', 'HEAD'])).map((l) => l.split(/\s/)[2]),
  )
  head.add((await h.git(['rev-parse', 'HEAD^{tree}'])).trim())
  const ids = [...all.keys()].filter((oid) => !head.has(oid))
  const objects = await catFileBatch(h.dir, ids)
  const out = new Map<string, CatFileObject & { path: string }>()
  for (const [oid, o] of objects)
    if (o.type !== 'commit') out.set(oid, { ...o, path: all.get(oid)! })
  return out
}

/**
 * `cold` less what a remaining row deltas on (rows never delta on packed objects), repeated
 * until nothing more goes.
 */
export async function packable(
  db: Executor,
  { repoId, cold }: { repoId: number; cold: ReadonlyMap<string, CatFileObject & { path: string }> },
): Promise<Map<string, CatFileObject & { path: string }>> {
  const { rows } = await db.query<{ oid: Buffer; base: Buffer }>(
    'SELECT oid, base FROM git_objects WHERE repo_id = $1 AND base IS NOT NULL',
    [repoId],
  )
  const out = new Map(cold)
  for (let changed = true; changed;) {
    changed = false
    for (const r of rows) {
      const base = r.base.toString('hex')
      if (!out.has(r.oid.toString('hex')) && out.delete(base)) changed = true
    }
  }
  return out
}

/**
 * Pack entries of `objects`: in groups of one type and path, each a delta on the one before
 * (chains up to `depth`) where the delta is smaller.
 */
export function packEntries(
  objects: Iterable<CatFileObject & { path: string }>,
  depth = 8,
): PackEntryInput[] {
  const sorted = [...objects].sort(
    (x, y) =>
      x.type.localeCompare(y.type) ||
      x.path.localeCompare(y.path) ||
      x.content.length - y.content.length,
  )
  const out: PackEntryInput[] = []
  let chain = 0
  sorted.forEach((o, i) => {
    const prev = sorted[i - 1]
    const delta =
      prev && prev.type === o.type && prev.path === o.path && chain < depth
        ? createDelta(prev.content, o.content)
        : null
    chain = delta ? chain + 1 : 0
    out.push({
      oid: Buffer.from(o.oid, 'hex'),
      type: TYPE_CODE[o.type as ObjectType],
      size: o.content.length,
      data: deflateSync(delta ?? o.content),
      base: delta ? Buffer.from(prev.oid, 'hex') : null,
    })
  })
  return out
}
