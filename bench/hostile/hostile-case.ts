import type { ApiClient } from '../lib/api-client.ts'
import { errorCode, type RawResponse } from '../lib/raw-request.ts'

/** What a case gets while the server runs. */
export interface CaseEnv {
  /** the server's base URL (loopback) */
  url: string
  api: ApiClient
  /** aborted when the case's time is up: a case stops its requests and child processes */
  signal: AbortSignal
}

/**
 * How a case's requests ended, in a few words; `fault` names the failure in a word or two
 * (`crashed`, `timeout`, `5xx`) when that ending fails the case whatever its figures.
 */
export interface Outcome {
  text: string
  fault?: string
}

/**
 * One hostile input against a fresh server. `prepare` builds payloads before the server starts
 * (untimed, so its CPU does not count against the server); `setup` makes the project the case
 * needs (untimed); `run` is measured: the server's peak RSS and the worst `/health` latency are
 * taken while it runs.
 */
export interface HostileCase {
  name: string
  /** the run is aborted after this long, and its outcome is `timeout` */
  timeoutMs: number
  prepare?(): Promise<void>
  setup?(env: CaseEnv): Promise<void>
  run(env: CaseEnv): Promise<Outcome>
  /** a bound on RSS growth during the run (bytes), judged with the peak */
  maxGrowth?: number
}

/** What a case whose payload is built under `dir` gets: the scale and the payload's size. */
export interface SizedCaseOptions {
  scale: number
  dir: string
  bytes: number
}

/** A `setup` that makes the empty project the case runs against. */
export const createsProject =
  (project: string) =>
  async ({ api }: CaseEnv): Promise<void> => {
    await api.request('PUT', `/projects/${project}`, { json: {} })
  }

/** `413 BODY_TOO_LARGE` / `200`: an answer's status and error code; a 5xx is a fault. */
export function answered(res: RawResponse, more = ''): Outcome {
  const code = res.status >= 400 ? errorCode(res.head) : null
  const text = `${res.status}${code ? ` ${code}` : ''}${more ? `, ${more}` : ''}`
  return res.status >= 500 ? { text, fault: '5xx' } : { text }
}

/** Bytes in MB (2^20), for outcomes. */
export const mb = (bytes: number) =>
  bytes >= 10 * 2 ** 20
    ? `${(bytes / 2 ** 20).toFixed(0)} MB`
    : `${(bytes / 2 ** 20).toFixed(1)} MB`
