import { concurrentAutosaves } from './cases/autosaves.ts'
import { bigPush } from './cases/big-push.ts'
import { haveFlood } from './cases/have-flood.ts'
import { patchDiff } from './cases/patch-diff.ts'
import { wideBatch } from './cases/wide-batch.ts'
import { zeroBlob } from './cases/zero-blob.ts'
import { zipBombAutosave, zipBombUploadPack } from './cases/zip-bomb.ts'
import type { HostileCase } from './hostile-case.ts'

const KiB = 2 ** 10
const MiB = 2 ** 20
const GiB = 2 ** 30

/**
 * Every hostile case by its short id, at `scale` (1: the sizes of the targets; 0.01 for a quick
 * look at the machinery). Payloads are kept under `dir`.
 */
export function allCases({ scale, dir }: { scale: number; dir: string }): Map<string, HostileCase> {
  const n = (full: number) => Math.max(1, Math.round(full * scale))
  return new Map<string, HostileCase>([
    ['wide-1m', wideBatch({ scale, entries: n(10_000), blobBytes: n(MiB) })],
    ['wide-100k', wideBatch({ scale, entries: n(10_000), blobBytes: n(100 * KiB) })],
    ['push-1g', bigPush({ scale, dir, total: n(GiB), files: 32 })],
    ['gzip-autosave', zipBombAutosave({ scale, dir, bytes: n(GiB) })],
    ['gzip-upload-pack', zipBombUploadPack({ scale, dir, bytes: n(GiB) })],
    ['patch-diff', patchDiff({ scale, lines: n(20_000) })],
    ['autosaves', concurrentAutosaves({ scale, clients: 20, bytes: n(50_000_000) })],
    ['zero-blob', zeroBlob({ scale, dir, bytes: n(500 * MiB) })],
    ['haves', haveFlood({ scale, count: n(10_000_000) })],
  ])
}
