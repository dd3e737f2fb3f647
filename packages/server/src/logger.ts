import pino, { type DestinationStream, type Logger } from 'pino'

/** Structured JSON logs; headers are never logged, and the API key header is redacted anyway. */
export function createLogger({
  level = 'info',
  destination,
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
