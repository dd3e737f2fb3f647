import { deflateSync } from 'node:zlib'
import { MAX_DELTA_DEPTH } from '../objects/git-object.ts'
import type { PackEntryInput } from '../store/postgres/packs/write-pack.ts'
import type { ColdObject } from './archive-plan.ts'
import { bestDelta } from './best-delta.ts'
import { MIN_DELTA_SIZE } from './repack-plan.ts'

/** Bases tried per object: the entries just before it in the pack's order, as git's `pack.window`. */
const WINDOW = 10
/** A delta under this share of the content is kept without comparing it with the whole zlib. */
const SURE_DELTA = 1 / 8

/**
 * The entries of one pack of `objects` (in pack order): each a delta on one of the `WINDOW`
 * entries of its type before it (the newer versions of its path first, then similar names),
 * chosen by `bestDelta`, or its whole zlib when no delta is smaller; chains stay within
 * `MAX_DELTA_DEPTH` and only on entries of the same pack. Objects without content in `contents`
 * are left out. Returns the entries and their bytes.
 *
 * @example
 * const { entries } = await buildPack({ objects, contents, pace: () => pacer.pace() })
 */
export async function buildPack({
  objects,
  contents,
  pace = async () => {},
}: {
  objects: readonly ColdObject[]
  contents: ReadonlyMap<string, Buffer>
  pace?: () => Promise<void>
}): Promise<{ entries: PackEntryInput[]; bytes: number }> {
  const entries: PackEntryInput[] = []
  const depth = new Map<string, number>()
  const window: ColdObject[] = []
  let bytes = 0
  for (const o of objects) {
    const content = contents.get(o.oid)
    if (!content) continue
    await pace()
    const bases = window
      .filter((b) => b.type === o.type)
      .map((b) => b.oid)
      .reverse()
      .slice(0, WINDOW)
    const delta =
      content.length < MIN_DELTA_SIZE
        ? null
        : await bestDelta({
            target: content,
            // a delta is kept when it is under 3/4 of the content; the whole zlib is checked below
            stored: content.length,
            bases,
            contents,
            fits: (base) => (depth.get(base) ?? 0) < MAX_DELTA_DEPTH,
            pace,
          })
    let data = delta?.data
    let base: string | null = delta?.base ?? null
    if (!data || data.length > content.length * SURE_DELTA) {
      const whole = deflateSync(content)
      if (!data || whole.length <= data.length) [data, base] = [whole, null]
    }
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
