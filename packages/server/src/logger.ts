import pino, { type DestinationStream, type Logger } from 'pino'

/**
 * Structured JSON logs; headers are never logged, and the API key header is redacted anyway.
 * Without a `destination`, lines go to stdout asynchronously: while one write is in flight the
 * next lines gather in a buffer and go in one write, and pino flushes the buffer at exit.
 */
export function createLogger({
  level = 'info',
  destination = pino.destination({ dest: 1, sync: false }),
}: { level?: string; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      level,
      base: { service: 'gitpg' },
      redact: { paths: ['headers["x-internal-api-key"]', 'apiKey', 'token'], remove: true },
    },
    destination,
  )
}
