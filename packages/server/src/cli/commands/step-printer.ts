/** Prints where a long command is: `step(label, detail)`, then `finish()`. */
export interface StepPrinter {
  step(label: string, detail?: string): void
  finish(): void
}

/**
 * Progress of a command made of steps: on a terminal one line redrawn in place
 * (`writing objects · 12.0 MiB`), otherwise one plain line per step, each printed once.
 *
 * @example
 * const steps = stepPrinter()
 * steps.step('writing objects', '1.0 MiB')
 * steps.finish()
 */
export function stepPrinter(
  stream: NodeJS.WriteStream = process.stderr,
  tty = Boolean(stream.isTTY),
): StepPrinter {
  let lastLabel = ''
  let drawn = false
  return {
    step(label, detail) {
      if (tty) {
        const line = detail ? `${label} · ${detail}` : label
        stream.write(`\r\x1b[2K${line.slice(0, (stream.columns || 100) - 1)}`)
        drawn = true
      } else if (label !== lastLabel) {
        stream.write(`${label}...\n`)
      }
      lastLabel = label
    },
    finish() {
      if (tty && drawn) stream.write('\n')
    },
  }
}
