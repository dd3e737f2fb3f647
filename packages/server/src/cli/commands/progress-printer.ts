import type { ProgressListener, TransferProgress } from '@gitpg/sync'

const LABEL: Record<TransferProgress['phase'], string> = {
  connecting: 'connecting',
  negotiating: 'preparing',
  receiving: 'receiving',
  resolving: 'resolving objects',
  storing: 'stored',
  sending: 'sending',
  done: 'done',
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`
  return `${(n / 1024 ** 3).toFixed(2)} GiB`
}

/** What the printer knows of a transfer so far: the latest event and the running counts. */
interface State {
  phase: TransferProgress['phase']
  bytes?: number
  /** objects in the pack */
  objects?: number
  /** objects resolved and stored so far */
  resolved?: number
}

function describe(p: State): string {
  const parts = [LABEL[p.phase]]
  if (p.bytes !== undefined && p.bytes > 0 && p.phase !== 'resolving')
    parts.push(formatBytes(p.bytes))
  if (p.resolved !== undefined && p.objects && p.phase !== 'done')
    parts.push(`${p.resolved}/${p.objects} objects`)
  else if (p.objects !== undefined) parts.push(`${p.objects} objects`)
  return parts.join(' · ')
}

function bar(percent: number, width = 24): string {
  const filled = Math.round((percent / 100) * width)
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(percent).padStart(3)}%`
}

/**
 * Shows transfer progress: on a terminal one line redrawn in place, with a bar from the
 * remote's percentages (`Counting objects: 45% ...`), then from the objects resolved and stored
 * of the pack's count while it arrives and after; otherwise one plain line per phase.
 */
export function progressPrinter(
  stream: NodeJS.WriteStream = process.stderr,
  tty = Boolean(stream.isTTY),
): ProgressListener & { finish(): void } {
  let lastPhase = ''
  let lastLine = ''
  let percent = 0
  let remoteStep = ''
  const state: State = { phase: 'connecting' }
  const draw = (line: string) => {
    if (line === lastLine) return
    lastLine = line
    stream.write(`\r\x1b[2K${line.slice(0, (stream.columns || 100) - 1)}`)
  }
  const listener = (p: TransferProgress) => {
    if (p.resolved !== undefined) {
      // a count of the import's own work: it goes on while the pack arrives, and after
      state.resolved = p.resolved
      if (state.objects) percent = Math.min(99, Math.floor((100 * p.resolved) / state.objects))
      if (tty) draw(`${bar(percent)} ${describe(state)}`)
      return
    }
    state.phase = p.phase
    if (p.bytes !== undefined) state.bytes = p.bytes
    if (p.objects !== undefined) state.objects = p.objects
    if (tty) {
      if (p.message) {
        const m = /^([^:]+):\s+(\d+)%/.exec(p.message)
        if (m) {
          remoteStep = m[1]
          percent = Number(m[2])
        }
      }
      const step = p.phase === 'negotiating' && remoteStep ? remoteStep : describe(state)
      draw(`${bar(p.phase === 'done' ? 100 : percent)} ${step}`)
      return
    }
    if (p.message) return
    if (p.phase === 'receiving' || p.phase === 'sending') {
      lastLine = describe(p)
      if (lastPhase !== p.phase) stream.write(`${LABEL[p.phase]}...\n`)
      lastPhase = p.phase
      return
    }
    if (p.phase === lastPhase) return
    if (lastPhase === 'receiving' || lastPhase === 'sending') stream.write(`${lastLine}\n`)
    lastPhase = p.phase
    stream.write(`${describe(p)}\n`)
  }
  return Object.assign(listener, {
    finish() {
      if (tty && lastLine) stream.write('\n')
    },
  })
}
