/** One message of a `text/event-stream`. */
export interface SseMessage {
  /** the `id:` field, when the message has one */
  id?: string
  /** the `event:` field; `message` when absent */
  event: string
  data: string
}

/**
 * The messages of a `text/event-stream` body, as the HTML standard parses them: lines end with
 * LF, CRLF or CR; a blank line ends a message; `:` lines are comments (heartbeats); `data:` lines
 * are joined with LF. `onActivity` is called on every chunk read, comments included, so a caller
 * can tell a quiet stream from a dead one. An aborted `signal` ends the messages (the read
 * waiting on the body is cancelled, whatever the body's source does with the abort).
 *
 * @example
 * for await (const message of readSse(res.body!)) console.log(message.event, message.data)
 */
export async function* readSse(
  body: ReadableStream<Uint8Array>,
  { onActivity = () => {}, signal }: { onActivity?: () => void; signal?: AbortSignal } = {},
): AsyncGenerator<SseMessage> {
  const reader = body.getReader()
  const cancel = () => void reader.cancel().catch(() => {})
  signal?.addEventListener('abort', cancel)
  const decoder = new TextDecoder()
  let buffer = ''
  let fields: { id?: string; event?: string; data: string[] } = { data: [] }
  try {
    for (;;) {
      if (signal?.aborted) return
      const { done, value } = await reader.read()
      if (done) return
      onActivity()
      buffer += decoder.decode(value, { stream: true })
      let end: number
      while ((end = lineEnd(buffer)) >= 0) {
        const line = buffer.slice(0, end)
        // a CR at the very end may be the first half of a CRLF still to come
        if (buffer[end] === '\r' && end + 1 === buffer.length) break
        buffer = buffer.slice(buffer.startsWith('\r\n', end) ? end + 2 : end + 1)
        if (line === '') {
          if (fields.data.length > 0)
            yield { id: fields.id, event: fields.event ?? 'message', data: fields.data.join('\n') }
          fields = { data: [] }
          continue
        }
        if (line.startsWith(':')) continue
        const colon = line.indexOf(':')
        const name = colon < 0 ? line : line.slice(0, colon)
        let value = colon < 0 ? '' : line.slice(colon + 1)
        if (value.startsWith(' ')) value = value.slice(1)
        if (name === 'data') fields.data.push(value)
        else if (name === 'event') fields.event = value
        else if (name === 'id' && !value.includes('\0')) fields.id = value
      }
    }
  } finally {
    signal?.removeEventListener('abort', cancel)
    await reader.cancel().catch(() => {})
  }
}

function lineEnd(text: string): number {
  const lf = text.indexOf('\n')
  const cr = text.indexOf('\r')
  if (cr < 0) return lf
  if (lf < 0) return cr
  return Math.min(lf, cr)
}
