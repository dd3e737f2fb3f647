import pino, { type DestinationStream, type Logger } from 'pino'

/** Fields that hold a secret, at the top of a log entry or one object down: never logged. */
const SECRET_KEYS = ['apiKey', 'token', 'githubToken', 'defaultToken', 'password', 'authorization']
const SECRET_HEADERS = ['authorization', 'cookie', '["x-internal-api-key"]']

/** pino redaction paths for every secret a log entry could carry. */
export const SECRET_PATHS = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((k) => `*.${k}`),
  ...SECRET_KEYS.map((k) => `err.data.${k}`),
  ...SECRET_HEADERS.map((h) => `headers${h.startsWith('[') ? h : `.${h}`}`),
  ...SECRET_HEADERS.map((h) => `*.headers${h.startsWith('[') ? h : `.${h}`}`),
]

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
      redact: { paths: SECRET_PATHS, remove: true },
    },
    destination,
  )
}
