import type { ApiClient } from '../lib/api-client.ts'
import { API_KEY } from '../lib/gitpg-server.ts'
import { rawRequest, type RawResponse } from '../lib/raw-request.ts'

/** Where one autosave goes: `PUT /pending/:project/:user/:path`. */
interface PendingFile {
  project: string
  user: string
  path: string
}

/** An autosave of `body` as raw bytes; `gzip` says the body is gzip (`Content-Encoding`). */
export function putPending({
  url,
  project,
  user,
  path,
  body,
  gzip = false,
  signal,
}: PendingFile & {
  url: string
  body: Buffer
  gzip?: boolean
  signal?: AbortSignal
}): Promise<RawResponse> {
  return rawRequest({
    url: `${url}/pending/${project}/${user}/${path}`,
    method: 'PUT',
    headers: {
      'x-internal-api-key': API_KEY,
      'content-type': 'application/octet-stream',
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
    },
    body,
    signal,
  })
}

/** The size the server holds for an autosaved file, `undefined` when it holds none. */
export async function pendingSize({
  api,
  project,
  user,
  path,
}: PendingFile & { api: ApiClient }): Promise<number | undefined> {
  const { changes } = await api.json<{ changes: { path: string; size: number }[] }>(
    'GET',
    `/pending/${project}/${user}`,
  )
  return changes.find((c) => c.path === path)?.size
}
