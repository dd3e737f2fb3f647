import { API_KEY } from '../lib/gitpg-server.ts'
import { rawRequest, type RawResponse } from '../lib/raw-request.ts'
import type { Outcome } from './hostile-case.ts'
import { answered } from './hostile-case.ts'
import { pktLines, receivePackBody } from './pkt-line.ts'

/** HTTP Basic auth as git sends it, with the API key as the password. */
export const gitAuth = `Basic ${Buffer.from(`git:${API_KEY}`).toString('base64')}`

/** git's URL of a project with the API key in it, for `git push`. */
export function gitUrl(base: string, project: string): string {
  const url = new URL(`${base}/git/${project}.git`)
  url.username = 'git'
  url.password = API_KEY
  return url.toString()
}

/** `POST /git/:project.git/git-receive-pack` of one ref update and its pack, as git sends it. */
export function receivePack({
  url,
  project,
  ref = 'refs/heads/main',
  commit,
  pack,
  signal,
}: {
  url: string
  project: string
  ref?: string
  commit: string
  pack: Buffer
  signal?: AbortSignal
}): Promise<RawResponse> {
  return rawRequest({
    url: `${url}/git/${project}.git/git-receive-pack`,
    method: 'POST',
    headers: { authorization: gitAuth, 'content-type': 'application/x-git-receive-pack-request' },
    body: receivePackBody({ ref, commit, pack }),
    signal,
  })
}

/** A receive-pack answer in a line: `unpack ok; ok refs/heads/main`, or what was refused. */
export function pushOutcome(res: RawResponse): Outcome {
  if (res.status !== 200) return answered(res)
  const lines = pktLines(res.head)
  const text = lines.length > 0 ? lines.join('; ').slice(0, 160) : 'empty answer'
  return { text: `200, ${text}` }
}

/** Pushes a pack and throws unless the ref was updated (a case's setup). */
export async function pushOrThrow(args: Parameters<typeof receivePack>[0]): Promise<void> {
  const res = await receivePack(args)
  const lines = pktLines(res.head)
  if (res.status !== 200 || lines[0] !== 'unpack ok' || !lines[1]?.startsWith('ok '))
    throw new Error(`setup push to ${args.project} failed: ${pushOutcome(res).text}`)
}

/** `POST /git/:project.git/git-upload-pack` with `body` (gzipped when `gzip`). */
export function uploadPack({
  url,
  project,
  body,
  gzip = false,
  signal,
}: {
  url: string
  project: string
  body: Buffer | AsyncIterable<Buffer>
  gzip?: boolean
  signal?: AbortSignal
}): Promise<RawResponse> {
  return rawRequest({
    url: `${url}/git/${project}.git/git-upload-pack`,
    method: 'POST',
    headers: {
      authorization: gitAuth,
      'content-type': 'application/x-git-upload-pack-request',
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
    },
    body,
    signal,
    keep: 4096,
  })
}
