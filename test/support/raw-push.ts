import { expect } from 'vitest'
import { FLUSH, parsePktLines, pktLine } from '@gitpg/git-pg-fs'
import type { RunningServer } from '@gitpg/server'

export interface RawPushResult {
  /** The report-status lines, from side-band 1 when it is on, trimmed. */
  report: string[]
  /** The progress and error messages of side-bands 2 and 3. */
  messages: string[]
}

/**
 * A push as raw bytes: pkt-line commands (`caps` on the first), a flush, then `pack`, posted to
 * the project's `git-receive-pack`. Expects 200 and returns the report and side-band messages.
 */
export async function rawPush({
  server,
  apiKey,
  project,
  commands,
  pack,
  caps = 'report-status',
}: {
  server: RunningServer
  apiKey: string
  project: string
  commands: string[]
  pack: Buffer
  caps?: string
}): Promise<RawPushResult> {
  const body = Buffer.concat([
    ...commands.map((c, i) => pktLine(i === 0 ? `${c}\0${caps}\n` : `${c}\n`)),
    FLUSH,
    pack,
  ])
  const res = await fetch(`${server.url}/git/${project}.git/git-receive-pack`, {
    method: 'POST',
    headers: {
      'X-Internal-API-Key': apiKey,
      'Content-Type': 'application/x-git-receive-pack-request',
    },
    body,
  })
  expect(res.status).toBe(200)
  const report: string[] = []
  const messages: string[] = []
  for (const p of parsePktLines(Buffer.from(await res.arrayBuffer())).packets) {
    if (!Buffer.isBuffer(p)) continue
    if (p[0] === 2 || p[0] === 3) messages.push(p.subarray(1).toString('utf8'))
    else if (p[0] === 1) {
      for (const q of parsePktLines(p.subarray(1)).packets)
        if (Buffer.isBuffer(q)) report.push(q.toString('utf8').trimEnd())
    } else report.push(p.toString('utf8').trimEnd())
  }
  return { report, messages }
}
