import { ObjectNotFoundError } from '../errors.ts'
import type { GitObject } from '../objects/git-object.ts'
import type { GitStore } from '../store/git-store.ts'
import { MAX_DELTA_DEPTH } from '../objects/git-object.ts'
import { PackSpool } from './pack-spool.ts'

export interface ReadObjectsOptions {
  store: GitStore
  repoId: number
  oids: readonly string[]
  /** most bytes of object content read in one query */
  maxBatchBytes?: number
  /** most objects read in one query */
  maxBatchCount?: number
}

/**
 * Reads `oids` in the order given, in batches bounded by count and by size (known from the
 * objects' recorded sizes), reading the next batch while the caller consumes the current one.
 * At most two batches are held at once, whatever the number of objects.
 */
export async function* readObjectsInBatches({
  store,
  repoId,
  oids,
  maxBatchBytes = 8 * 1024 * 1024,
  maxBatchCount = 1000,
}: ReadObjectsOptions): AsyncGenerator<GitObject> {
  const batches = planBatches({ store, repoId, oids, maxBatchBytes, maxBatchCount })
  const read = async (batch: string[]) => ({ batch, found: await store.readObjects(repoId, batch) })
  let first = await batches.next()
  let pending = first.done ? null : read(first.value)
  while (pending) {
    const { batch, found } = await pending
    first = await batches.next()
    pending = first.done ? null : read(first.value)
    // keep the read ahead from rejecting unobserved while this batch is consumed
    pending?.catch(() => {})
    for (const oid of batch) {
      const o = found.get(oid)
      if (!o) throw new ObjectNotFoundError(oid)
      yield o
    }
  }
}

async function* planBatches({
  store,
  repoId,
  oids,
  maxBatchBytes,
  maxBatchCount,
}: Required<ReadObjectsOptions>): AsyncGenerator<string[]> {
  const WINDOW = 10_000
  let batch: string[] = []
  let bytes = 0
  for (let i = 0; i < oids.length; i += WINDOW) {
    const window = oids.slice(i, i + WINDOW)
    const info = await store.readObjectInfo(repoId, window)
    for (const oid of window) {
      const size = info.get(oid)?.size ?? 0
      if (batch.length > 0 && (batch.length >= maxBatchCount || bytes + size > maxBatchBytes)) {
        yield batch
        batch = []
        bytes = 0
      }
      batch.push(oid)
      bytes += size
    }
  }
  if (batch.length > 0) yield batch
}

export interface PackObjectsOptions extends ReadObjectsOptions {
  /** delta base hints (target → base), e.g. `listObjects`' `deltaBases` */
  deltaBases?: ReadonlyMap<string, string>
  /** write deltas as offsets into the pack (OFS_DELTA) rather than by base id (REF_DELTA) */
  ofsDelta?: boolean
}

interface Planned {
  oid: string
  base: string | null
}

/**
 * The order objects are written in: each delta base right before the objects deltified against it
 * (depth first), chains cut at `MAX_DELTA_DEPTH`, and any cycle among the hints broken.
 */
function planOrder(oids: readonly string[], deltaBases: ReadonlyMap<string, string>): Planned[] {
  const inPack = new Set(oids)
  const children = new Map<string, string[]>()
  const hasBase = (o: string) => {
    const b = deltaBases.get(o)
    return b !== undefined && b !== o && inPack.has(b)
  }
  for (const o of oids) {
    if (!hasBase(o)) continue
    const b = deltaBases.get(o)!
    const list = children.get(b)
    if (list) list.push(o)
    else children.set(b, [o])
  }
  const order: Planned[] = []
  const visited = new Set<string>()
  const visit = (root: string) => {
    const stack: { oid: string; base: string | null; depth: number }[] = [
      { oid: root, base: null, depth: 0 },
    ]
    while (stack.length > 0) {
      const { oid, base, depth } = stack.pop()!
      if (visited.has(oid)) continue
      visited.add(oid)
      order.push({ oid, base })
      const kids = children.get(oid) ?? []
      for (let k = kids.length - 1; k >= 0; k--) {
        const cut = depth + 1 >= MAX_DELTA_DEPTH
        stack.push({ oid: kids[k], base: cut ? null : oid, depth: cut ? 0 : depth + 1 })
      }
    }
  }
  for (const o of oids) if (!hasBase(o)) visit(o)
  for (const o of oids) if (!visited.has(o)) visit(o)
  return order
}

/**
 * Reads the objects among `oids` that are not in `spool` yet and adds them, each written after its
 * delta base (when the base is among them) so it can be deltified against it. Holds only the bases
 * still to be used and a batch or two of objects.
 */
export async function spoolObjects(
  options: PackObjectsOptions & { spool: PackSpool },
): Promise<void> {
  const { spool, deltaBases = new Map() } = options
  const order = planOrder(
    options.oids.filter((o) => !spool.has(o)),
    deltaBases,
  )
  const pendingChildren = new Map<string, number>()
  for (const p of order) {
    if (p.base) pendingChildren.set(p.base, (pendingChildren.get(p.base) ?? 0) + 1)
  }
  const held = new Map<string, GitObject>()
  const objects = readObjectsInBatches({ ...options, oids: order.map((p) => p.oid) })
  let i = 0
  for await (const o of objects) {
    const { base } = order[i++]
    spool.add(o, base ? held.get(base) : null)
    if (base) {
      const left = pendingChildren.get(base)! - 1
      if (left === 0) {
        pendingChildren.delete(base)
        held.delete(base)
      } else pendingChildren.set(base, left)
    }
    if (pendingChildren.has(o.oid)) held.set(o.oid, o)
  }
}

/**
 * A packfile of `oids` read from the store, streamed. With `deltaBases`, an object is written as
 * a delta against its base when that is clearly smaller (trees with one changed entry, files with
 * a few edited hunks). Entries are spooled to a temporary file, so memory holds a batch or two of
 * objects and the bases still to be used, never the pack.
 *
 * @example
 * const { oids, deltaBases } = await listObjects({ store, repoId, wants })
 * for await (const chunk of packObjects({ store, repoId, oids, deltaBases })) res.write(chunk)
 */
export async function* packObjects(options: PackObjectsOptions): AsyncGenerator<Buffer> {
  const spool = PackSpool.create({ ofsDelta: options.ofsDelta })
  try {
    await spoolObjects({ ...options, spool })
  } catch (err) {
    spool.dispose()
    throw err
  }
  yield* spool.stream()
}
