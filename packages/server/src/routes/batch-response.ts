import { setImmediate as nextTurn } from 'node:timers/promises'
import type { BatchPlan, SkippedFile } from '../domain/batch-plan.ts'
import type { ReadFile } from '../domain/batch-read.ts'
import { contentJson } from '../domain/content.ts'
import { pathJson, pathListJson } from './path-json.ts'

/** Output is sent in pieces of about this size. */
const PIECE = 64 * 1024

/**
 * The JSON of a batch read, `{ files, missing, skipped, truncated }`, written while the files
 * are read: each file's content is encoded a slice at a time and sent, and the event loop gets a
 * turn between files, so neither memory nor the time other requests wait grows with the batch.
 * Errors after the first piece can only cut the response short (the status is already sent).
 */
export async function* batchResponse({
  plan,
  chunks,
}: {
  plan: BatchPlan
  chunks: AsyncIterable<ReadFile[]>
}): AsyncGenerator<Buffer> {
  const missing = [...plan.missing]
  const skipped: SkippedFile[] = [...plan.skipped]
  let parts: string[] = ['{"files":[']
  let size = 0
  const take = (s: string) => {
    parts.push(s)
    size += s.length
  }
  const flush = () => {
    const piece = Buffer.from(parts.join(''))
    parts = []
    size = 0
    return piece
  }
  let first = true
  for await (const chunk of chunks) {
    for (const f of chunk) {
      if (f.content === null) {
        if (f.pendingVersion === null) missing.push(f.path)
        else skipped.push({ path: f.path, size: f.size, code: 'CHANGED' })
        continue
      }
      take(
        `${first ? '' : ','}${JSON.stringify(pathJson(f.path)).slice(0, -1)},"oid":"${f.oid}",` +
          `"mode":"${f.mode}",` +
          `"size":${f.content.length},"pending":${f.pendingVersion !== null},`,
      )
      first = false
      for (const part of contentJson(f.content)) {
        take(part)
        if (size >= PIECE) yield flush()
      }
      take('}')
      if (size >= PIECE) yield flush()
      await nextTurn()
    }
  }
  const { paths, bytes } = pathListJson(missing)
  const tail = {
    missing: paths,
    ...(bytes ? { missingPathBytes: bytes } : {}),
    skipped: skipped.map(({ path, ...rest }) => ({ ...pathJson(path), ...rest })),
    truncated: skipped.length > 0,
  }
  take(`],${JSON.stringify(tail).slice(1)}`)
  yield flush()
}
