import { setTimeout as sleep } from 'node:timers/promises'
import { GitpgError } from '@gitpg/client'

/** One write a writer tried while the collector ran: when, and what became of it. */
export interface Op {
  kind: 'restore' | 'revive' | 'push' | 'branch' | 'tag'
  start: number
  end: number
  /** the ref the write set and its value, when it succeeded */
  ref?: { name: string; oid: string }
  /** for a restoring commit: the tree it must have, the deleted branch's */
  tree?: string
  /** why it failed, when it did */
  error?: string
}

const failure = (err: unknown) =>
  err instanceof GitpgError ? `${err.status} ${err.code}` : String(err).split('\n')[0]

/** Runs `write` after a random delay, again and again while the collector runs (at most `max`). */
export async function writer({
  kind,
  collecting,
  max,
  random,
  write,
}: {
  kind: Op['kind']
  /** whether the collector still runs */
  collecting: () => boolean
  max: number
  random: () => number
  write: (i: number) => Promise<Pick<Op, 'ref' | 'tree'>>
}): Promise<Op[]> {
  const ops: Op[] = []
  await sleep(random() * 10)
  for (let i = 0; i < max; i++) {
    const start = performance.now()
    try {
      const done = await write(i)
      ops.push({ kind, start, end: performance.now(), ...done })
    } catch (err) {
      ops.push({ kind, start, end: performance.now(), error: failure(err) })
    }
    if (!collecting()) break
    await sleep(random() * 3)
  }
  return ops
}

/** `n` of each kind of failure, e.g. `revive ng … bad pack ×3` */
export function summarise(failed: Op[]): string {
  const counts = new Map<string, number>()
  for (const op of failed) {
    const key = `${op.kind} ${op.error!.replace(/refs\/heads\/\S+|[0-9a-f]{40}|http\S+/g, '…')}`
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  return [...counts].map(([key, n]) => `${key.slice(0, 160)} ×${n}`).join('; ')
}
