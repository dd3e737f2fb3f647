import { DELIM, FLUSH, pktLine } from '@gitpg/git-pg-fs'
import { SyncError } from '../errors.ts'
import {
  hasCapability,
  readAdvertisement,
  readLsRefs,
  type Advertisement,
} from './advertisement.ts'
import type {
  FetchRequest,
  FetchResult,
  GitRemote,
  PushRequest,
  PushReport,
  RemoteRef,
} from './git-remote.ts'
import { scopedCredential, tokenFor, type Credential } from './credentials.ts'
import { httpRequest } from './http.ts'
import { PacketStream } from './packet-stream.ts'
import { pushCommands, readPushResponse } from './receive-pack.ts'
import { basicAuth, parseRemoteUrl } from './remote-url.ts'
import {
  AGENT,
  fetchRequestV1,
  fetchRequestV2,
  readFetchResponseV1,
  readFetchResponseV2,
  requireShallowSupport,
} from './upload-pack.ts'

type Service = 'git-upload-pack' | 'git-receive-pack'

export interface SmartHttpRemoteOptions {
  url: string
  /**
   * sent as HTTP Basic `x-access-token:<token>`, to the origin (scheme, host, port) of `url`
   * only; a token in the URL is used when this is absent, to that origin too
   */
  token?: string | null
  /**
   * further credentials, each sent only to its own origins (the server's GitHub token, scoped
   * to the configured GitHub), after `token` and the URL's
   */
  credentials?: readonly (Credential | null)[]
  /** the protocol to ask for on fetch; 2 by default (servers without it answer in version 1) */
  protocol?: 1 | 2
  signal?: AbortSignal
}

/**
 * A git remote over the smart HTTP protocol: fetch in protocol v2 when the server offers it
 * (v1 otherwise), push over receive-pack with report-status, one pack each way.
 *
 * @example
 * const remote = new SmartHttpRemote({ url: 'https://github.com/octo/hello.git', token })
 * const refs = await remote.listRefs({ prefixes: ['refs/heads/'] })
 */
export class SmartHttpRemote implements GitRemote {
  /** the repository URL; moves to where the remote redirects ref discovery (renamed repos) */
  url: string
  readonly #credentials: readonly (Credential | null)[]
  readonly #protocol: 1 | 2
  readonly #signal?: AbortSignal
  #upload: Promise<Advertisement> | null = null

  constructor(options: SmartHttpRemoteOptions) {
    const parsed = parseRemoteUrl(options.url)
    this.url = parsed.url
    this.#credentials = [
      scopedCredential(options.token ?? parsed.token, parsed.url),
      ...(options.credentials ?? []),
    ]
    this.#protocol = options.protocol ?? 2
    this.#signal = options.signal
  }

  #headers(extra: Record<string, string> = {}): Record<string, string> {
    return { 'User-Agent': `git/2.0 (${AGENT})`, ...extra }
  }

  /** The `Authorization` for a request to `url`: only a credential scoped to its origin. */
  readonly #authorize = (url: string): string | null => {
    const token = tokenFor(this.#credentials, url)
    return token ? basicAuth(token) : null
  }

  async #discover(service: Service, protocol: 1 | 2): Promise<Advertisement> {
    const url = `${this.url}/info/refs?service=${service}`
    const { body, url: answered } = await httpRequest({
      method: 'GET',
      url,
      remote: this.url,
      headers: this.#headers(protocol === 2 ? { 'Git-Protocol': 'version=2' } : {}),
      expectType: `application/x-${service}-advertisement`,
      authorize: this.#authorize,
      signal: this.#signal,
    })
    const suffix = `/info/refs?service=${service}`
    if (answered !== url && answered.endsWith(suffix)) this.url = answered.slice(0, -suffix.length)
    return readAdvertisement(new PacketStream(body, this.url))
  }

  #uploadAdvertisement(): Promise<Advertisement> {
    this.#upload ??= this.#discover('git-upload-pack', this.#protocol)
    this.#upload.catch(() => (this.#upload = null))
    return this.#upload
  }

  async #post(service: Service, body: Buffer | AsyncIterable<Uint8Array>, v2: boolean) {
    const url = `${this.url}/${service}`
    const headers = this.#headers({
      'Content-Type': `application/x-${service}-request`,
      Accept: `application/x-${service}-result`,
    })
    if (v2) headers['Git-Protocol'] = 'version=2'
    const { body: stream } = await httpRequest({
      method: 'POST',
      url,
      remote: this.url,
      headers,
      body,
      expectType: `application/x-${service}-result`,
      authorize: this.#authorize,
      signal: this.#signal,
    })
    return new PacketStream(stream, this.url)
  }

  async listRefs({ prefixes = [] }: { prefixes?: readonly string[] } = {}): Promise<RemoteRef[]> {
    const adv = await this.#uploadAdvertisement()
    if (adv.version === 1)
      return adv.refs.filter(
        (r) => prefixes.length === 0 || prefixes.some((p) => r.name.startsWith(p)),
      )
    const lines = [pktLine('command=ls-refs\n')]
    if (adv.capabilities.has('agent')) lines.push(pktLine(`agent=${AGENT}\n`))
    lines.push(DELIM, pktLine('peel\n'), pktLine('symrefs\n'))
    for (const p of prefixes) lines.push(pktLine(`ref-prefix ${p}\n`))
    lines.push(FLUSH)
    return readLsRefs(await this.#post('git-upload-pack', Buffer.concat(lines), true))
  }

  async fetchPack(req: FetchRequest): Promise<FetchResult> {
    if (req.wants.length === 0) throw new TypeError('fetchPack needs at least one want')
    req.onProgress?.({ phase: 'connecting' })
    const adv = await this.#uploadAdvertisement()
    req.onProgress?.({ phase: 'negotiating' })
    if (adv.version === 2) {
      if (!hasCapability(adv.capabilities, 'fetch'))
        throw new SyncError('REMOTE_PROTOCOL_ERROR', `${this.url} offers no fetch command`)
      requireShallowSupport(hasCapability(adv.capabilities, 'fetch', 'shallow'), req, this.url)
      const body = fetchRequestV2(req, { agent: adv.capabilities.has('agent') })
      return readFetchResponseV2(await this.#post('git-upload-pack', body, true), req)
    }
    const caps = adv.capabilities
    const band = caps.has('side-band-64k')
      ? 'side-band-64k'
      : caps.has('side-band')
        ? 'side-band'
        : null
    if (!band) throw new SyncError('REMOTE_PROTOCOL_ERROR', `${this.url} offers no side-band`)
    requireShallowSupport(caps.has('shallow'), req, this.url)
    const wanted = [band, 'ofs-delta', 'thin-pack', 'include-tag', 'shallow', 'no-done']
    const capabilities = [...wanted.filter((c) => caps.has(c)), `agent=${AGENT}`]
    const body = fetchRequestV1(req, capabilities)
    return readFetchResponseV1(await this.#post('git-upload-pack', body, false), req)
  }

  async listPushRefs(): Promise<RemoteRef[]> {
    return (await this.#discover('git-receive-pack', 1)).refs
  }

  async pushPack(req: PushRequest): Promise<PushReport> {
    req.onProgress?.({ phase: 'connecting' })
    const adv = await this.#discover('git-receive-pack', 1)
    const caps = adv.capabilities
    if (!caps.has('report-status'))
      throw new SyncError('REMOTE_PROTOCOL_ERROR', `${this.url} offers no report-status`)
    const sideBand = caps.has('side-band-64k')
    const capabilities = ['report-status', ...(sideBand ? ['side-band-64k'] : [])]
    if (caps.has('atomic') && req.commands.length > 1) capabilities.push('atomic')
    if (caps.has('agent')) capabilities.push(`agent=${AGENT}`)
    const head = pushCommands(req.commands, capabilities)
    const pack = req.pack
    let bytes = 0
    async function* body(): AsyncGenerator<Uint8Array> {
      yield head
      if (!pack) return
      for await (const chunk of pack) {
        bytes += chunk.length
        req.onProgress?.({ phase: 'sending', bytes })
        yield chunk
      }
    }
    const stream = await this.#post('git-receive-pack', body(), false)
    return readPushResponse(stream, req.commands, {
      sideBand,
      onMessage: (message) => req.onProgress?.({ phase: 'sending', bytes, message }),
    })
  }
}
