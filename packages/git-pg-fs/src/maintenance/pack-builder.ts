import { deflateSync } from 'node:zlib'
import { MAX_DELTA_DEPTH } from '../objects/git-object.ts'
import type { StoredForm } from '../store/postgres/archive-rows.ts'
import type { PackEntryInput } from '../store/postgres/packs/write-pack.ts'
import type { ColdObject } from './archive-plan.ts'
import { bestDelta } from './best-delta.ts'
import { MIN_DELTA_SIZE } from './repack-plan.ts'

/** Bases tried per object: the entries just before it in the pack's order, as git's `pack.window`. */
const WINDOW = 10
/** A delta under this share of the content is kept without comparing it with the whole zlib. */
const SURE_DELTA = 1 / 8

/**
 * The entries of one pack of `objects` (in pack order). A row stored as a delta on an object
 * placed before it in the pack keeps its bytes (git's delta reuse); any other is a delta on one
 * of the `WINDOW` entries of its type before it (the newer versions of its path first, then
 * similar names), chosen by `bestDelta`, or whole when no delta is smaller. Chains stay within
 * `MAX_DELTA_DEPTH` and on entries of the same pack. Objects without content are left out.
 *
 * @example
 * const { entries } = await buildPack({ objects, contents, stored, pace: () => pacer.pace() })
 */
export async function buildPack({
  objects,
  contents,
  stored,
  memo = new Map(),
  pace = async () => {},
}: {
  objects: readonly ColdObject[]
  contents: ReadonlyMap<string, Buffer>
  /** the rows' stored forms */
  stored: ReadonlyMap<string, StoredForm>
  /**
   * encodings computed by an earlier build of the same objects (filled by this one): one whose
   * base is placed again is taken as it is, not searched for again
   */
  memo?: Map<string, Encoded>
  pace?: () => Promise<void>
}): Promise<{ entries: PackEntryInput[]; bytes: number }> {
  const entries: PackEntryInput[] = []
  const depth = new Map<string, number>()
  const window: ColdObject[] = []
  let bytes = 0
  for (const o of objects) {
    const content = contents.get(o.oid)
    if (!content) continue
    const form = stored.get(o.oid)
    const rowBase = form?.base ?? null
    const reuse = form && rowBase !== null && (depth.get(rowBase) ?? Infinity) < MAX_DELTA_DEPTH
    const known = memo.get(o.oid)
    const { data, base } = reuse
      ? { data: form.zlib ? form.data : deflateSync(form.data), base: rowBase }
      : known && (known.base === null || (depth.get(known.base) ?? Infinity) < MAX_DELTA_DEPTH)
        ? known
        : await encode({ o, content, form, window, contents, depth, pace })
    if (!reuse) memo.set(o.oid, { data, base })
    depth.set(o.oid, base === null ? 0 : depth.get(base)! + 1)
    entries.push({
      oid: Buffer.from(o.oid, 'hex'),
      type: o.type,
      size: content.length,
      data,
      base: base === null ? null : Buffer.from(base, 'hex'),
    })
    bytes += data.length
    window.push(o)
    if (window.length > WINDOW * 4) window.splice(0, window.length - WINDOW * 4)
  }
  return { entries, bytes }
}

/** An object's bytes in a pack: whole zlib, or a delta's zlib on `base`. */
export interface Encoded {
  data: Buffer
  base: string | null
}

/** `o` as the best delta on a window entry, or whole. */
async function encode({
  o,
  content,
  form,
  window,
  contents,
  depth,
  pace,
}: {
  o: ColdObject
  content: Buffer
  form: StoredForm | undefined
  window: readonly ColdObject[]
  contents: ReadonlyMap<string, Buffer>
  depth: ReadonlyMap<string, number>
  pace: () => Promise<void>
}): Promise<Encoded> {
  await pace()
  const bases = window
    .filter((b) => b.type === o.type)
    .map((b) => b.oid)
    .reverse()
    .slice(0, WINDOW)
  const delta =
    content.length < MIN_DELTA_SIZE || bases.length === 0
      ? null
      : await bestDelta({
          target: content,
          // a delta is kept when it is under 3/4 of the content; the whole zlib is checked below
          stored: content.length,
          bases,
          contents,
          fits: (base) => depth.get(base)! < MAX_DELTA_DEPTH,
          pace,
        })
  if (delta && delta.data.length <= content.length * SURE_DELTA) return delta
  const whole = form && form.base === null && form.zlib ? form.data : deflateSync(content)
  return delta && delta.data.length < whole.length ? delta : { data: whole, base: null }
}
