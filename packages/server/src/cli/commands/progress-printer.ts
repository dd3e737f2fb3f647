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

function describe(p: TransferProgress): string {
  const parts = [LABEL[p.phase]]
  if (p.bytes !== undefined && p.bytes > 0) parts.push(formatBytes(p.bytes))
  if (p.objects !== undefined) parts.push(`${p.objects} objects`)
  return parts.join(' · ')
}

function bar(percent: number, width = 24): string {
  const filled = Math.round((percent / 100) * width)
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(percent).padStart(3)}%`
}

/**
 * Shows transfer progress: on a terminal one line redrawn in place, with a bar from the
 * remote's percentages (`Counting objects: 45% ...`); otherwise one plain line per phase.
 */
export function progressPrinter(
  stream: NodeJS.WriteStream = process.stderr,
  tty = Boolean(stream.isTTY),
): ProgressListener & { finish(): void } {
  let lastPhase = ''
  let lastLine = ''
  let percent = 0
  let remoteStep = ''
  const draw = (line: string) => {
    if (line === lastLine) return
    lastLine = line
    stream.write(`\r\x1b[2K${line.slice(0, (stream.columns || 100) - 1)}`)
  }
  const listener = (p: TransferProgress) => {
    if (tty) {
      if (p.message) {
        const m = /^([^:]+):\s+(\d+)%/.exec(p.message)
        if (m) {
          remoteStep = m[1]
          percent = Number(m[2])
        }
      }
      const step = p.phase === 'negotiating' && remoteStep ? remoteStep : describe(p)
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
