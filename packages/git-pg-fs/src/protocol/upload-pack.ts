import type { GitStore, GraphCommit } from '../store/git-store.ts'
import { preparePack } from '../pack/prepare-pack.ts'
import { findShallowBoundary, peelWantsToCommits } from '../repo/reachable.ts'
import { clientMessage, INTERNAL_ERROR } from './client-message.ts'
import { FLUSH, packetText, pktLine, readPktLines, sideBand, type Packet } from './pkt-line.ts'

export interface UploadRequest {
  wants: string[]
  capabilities: Set<string>
  /** the client's shallow commits */
  shallow: string[]
  depth?: number
}

export interface UploadPackOptions {
  store: GitStore
  repoId: number
  /** the request body: pkt-lines as git's fetch-pack sends them over stateless HTTP */
  request: AsyncIterable<Uint8Array>
  /** `have` lines past this many in one request are read but not considered (not acknowledged) */
  maxHaves?: number
  /** told of each unexpected error, whose detail the client only sees as `internal error` */
  onInternalError?: (err: unknown) => void
}

/** git's default cap: haves past it cost reading only. */
export const DEFAULT_MAX_HAVES = 100_000
/** `want` and `shallow` lines in one request: more is refused (a repository has fewer refs). */
const MAX_WANTS = 100_000
/** Deeper than this is as good as the whole history. */
const MAX_DEPTH = 2 ** 31 - 1
/** Haves are looked up in the database this many at a time, as they arrive. */
const HAVE_BATCH = 1000

const isOid = (s: string) => /^[0-9a-f]{40}$/.test(s)

/**
 * git-upload-pack for one stateless (smart HTTP) request, protocol v0/v1: reads the wants, the
 * shallow/deepen lines and one round of haves, answers with the shallow list and ACK/NAK lines
 * (multi_ack_detailed, multi_ack or plain) and, after `done` or when ready with no-done, the pack,
 * streamed in side-band with progress on band 2. Memory and work stay bounded whatever the
 * request: haves are looked up in batches as they arrive and those past `maxHaves` are ignored
 * (a client then gets a larger pack, never an error); too many wants or shallow lines are
 * refused with one `ERR` line.
 *
 * @example
 * const body = uploadPack({ store, repoId, request: Readable.fromWeb(req.body) })
 * for await (const chunk of body) res.write(chunk)
 */
export async function* uploadPack({
  store,
  repoId,
  request,
  maxHaves = DEFAULT_MAX_HAVES,
  onInternalError,
}: UploadPackOptions): AsyncGenerator<Buffer> {
  const packets = readPktLines(request)[Symbol.asyncIterator]()
  const next = async (): Promise<Packet | null> => {
    const r = await packets.next()
    return r.done ? null : r.value
  }
  const req = await readWants(next)
  if (req === 'too many') {
    yield pktLine(`ERR upload-pack: more than ${MAX_WANTS} want or shallow lines\n`)
    return
  }
  if (!req) return
  const stored = await store.hasObjects(repoId, req.wants)
  const unknown = req.wants.find((w) => !stored.has(w))
  if (unknown) {
    yield pktLine(`ERR upload-pack: not our ref ${unknown}\n`)
    return
  }
  if (req.depth !== undefined) {
    const boundary = await findShallowBoundary({
      store,
      repoId,
      wants: req.wants,
      clientShallow: req.shallow,
      depth: req.depth,
    })
    for (const s of boundary.shallow) yield pktLine(`shallow ${s}\n`)
    for (const s of boundary.unshallow) yield pktLine(`unshallow ${s}\n`)
    yield FLUSH
  }

  const caps = req.capabilities
  const ackMode = caps.has('multi_ack_detailed')
    ? 'detailed'
    : caps.has('multi_ack')
      ? 'multi'
      : 'single'
  const ready = new ReadyCheck(store, repoId, req.wants)
  const commons: string[] = []
  let considered = 0
  let batch: string[] = []
  let gotCommon = false
  let gotOther = false
  let sentReady = false
  // acknowledges a batch of haves: common ones, and with multi-ack the others once ready
  async function* acknowledge(): AsyncGenerator<Buffer> {
    const found = await store.hasObjects(repoId, batch)
    for (const have of batch) {
      if (found.has(have)) {
        gotCommon = true
        commons.push(have)
        if (ackMode === 'detailed') yield pktLine(`ACK ${have} common\n`)
        else if (ackMode === 'multi') yield pktLine(`ACK ${have} continue\n`)
        else if (commons.length === 1) yield pktLine(`ACK ${have}\n`)
      } else {
        gotOther = true
        if (ackMode !== 'single' && (await ready.check(commons))) {
          sentReady = ackMode === 'detailed'
          yield pktLine(`ACK ${have} ${ackMode === 'detailed' ? 'ready' : 'continue'}\n`)
        }
      }
    }
    batch = []
  }
  for (;;) {
    const p = await next()
    if (p === null) return
    const line = packetText(p)
    if (line.startsWith('have ')) {
      const have = line.slice(5, 45)
      if (considered < maxHaves && isOid(have)) {
        considered++
        batch.push(have)
        if (batch.length === HAVE_BATCH) yield* acknowledge()
      }
      continue
    }
    const done = line === 'done'
    if (p !== 'flush' && !done) continue
    yield* acknowledge()
    const last = commons[commons.length - 1]
    if (done) {
      if (commons.length === 0) yield pktLine('NAK\n')
      else if (ackMode !== 'single') yield pktLine(`ACK ${last}\n`)
      yield* sendPack({ store, repoId, req, commons, onInternalError })
      return
    }
    if (ackMode === 'detailed' && gotCommon && !gotOther && (await ready.check(commons))) {
      sentReady = true
      yield pktLine(`ACK ${last} ready\n`)
    }
    if (commons.length === 0 || ackMode !== 'single') yield pktLine('NAK\n')
    if (caps.has('no-done') && sentReady) {
      yield pktLine(`ACK ${last}\n`)
      yield* sendPack({ store, repoId, req, commons, onInternalError })
    }
    // stateless: one round per request
    return
  }
}

/** The want section: `want` lines (capabilities on the first), `shallow`, `deepen`, a flush. */
async function readWants(
  next: () => Promise<Packet | null>,
): Promise<UploadRequest | null | 'too many'> {
  const req: UploadRequest = { wants: [], capabilities: new Set(), shallow: [] }
  for (;;) {
    const p = await next()
    if (p === null || p === 'flush') break
    if (req.wants.length + req.shallow.length >= MAX_WANTS) return 'too many'
    const line = packetText(p)
    const [verb, arg, ...rest] = line.split(' ')
    if (verb === 'want' && isOid(arg)) {
      if (req.wants.length === 0) for (const c of rest) req.capabilities.add(c)
      req.wants.push(arg)
    } else if (verb === 'shallow' && isOid(arg)) {
      req.shallow.push(arg)
    } else if (verb === 'deepen') {
      const depth = Number(arg)
      if (Number.isInteger(depth) && depth > 0) req.depth = Math.min(depth, MAX_DEPTH)
    }
  }
  req.wants = [...new Set(req.wants)]
  return req.wants.length > 0 ? req : null
}

/**
 * git's ok_to_give_up: the server is ready to send a pack once every wanted commit has a common
 * commit in its history. Wants found satisfied stay satisfied as commons only grow.
 */
class ReadyCheck {
  readonly #store: GitStore
  readonly #repoId: number
  readonly #wants: readonly string[]
  #graph: Map<string, GraphCommit> | null = null
  #commits: string[] = []
  readonly #satisfied = new Set<string>()
  #checkedWith = -1

  constructor(store: GitStore, repoId: number, wants: readonly string[]) {
    this.#store = store
    this.#repoId = repoId
    this.#wants = wants
  }

  async check(commons: readonly string[]): Promise<boolean> {
    if (commons.length === 0) return false
    if (this.#checkedWith === commons.length) return this.#satisfied.size === this.#commits.length
    this.#checkedWith = commons.length
    if (!this.#graph) {
      this.#commits = await peelWantsToCommits(this.#store, this.#repoId, this.#wants)
      this.#graph = await this.#store.readCommitGraph(this.#repoId, this.#commits)
    }
    const common = new Set(commons)
    for (const want of this.#commits) {
      if (this.#satisfied.has(want)) continue
      if (reaches(this.#graph, want, common)) this.#satisfied.add(want)
    }
    return this.#satisfied.size === this.#commits.length
  }
}

function reaches(graph: Map<string, GraphCommit>, from: string, targets: ReadonlySet<string>) {
  const seen = new Set([from])
  const stack = [from]
  while (stack.length > 0) {
    const oid = stack.pop()!
    if (targets.has(oid)) return true
    for (const p of graph.get(oid)?.parents ?? []) {
      if (!seen.has(p)) {
        seen.add(p)
        stack.push(p)
      }
    }
  }
  return false
}

/** The pack of what the client lacks: side-band framed with progress, or raw without side-band. */
async function* sendPack({
  store,
  repoId,
  req,
  commons,
  onInternalError,
}: {
  store: GitStore
  repoId: number
  req: UploadRequest
  commons: readonly string[]
  onInternalError?: (err: unknown) => void
}): AsyncGenerator<Buffer> {
  const caps = req.capabilities
  const band = caps.has('side-band-64k') ? 65515 : caps.has('side-band') ? 996 : 0
  const progress = band > 0 && !caps.has('no-progress')
  const say = (text: string) => (progress ? [...sideBand(2, Buffer.from(text), band)] : [])
  try {
    const tags = caps.has('include-tag')
      ? (await store.listRefs(repoId, 'refs/tags/')).flatMap((r) => (r.oid ? [r.oid] : []))
      : []
    yield* say('Enumerating objects and building the pack...\n')
    const pack = await preparePack({
      store,
      repoId,
      wants: req.wants,
      haves: commons,
      clientShallow: req.shallow,
      depth: req.depth,
      includeTags: tags,
      ofsDelta: caps.has('ofs-delta'),
    })
    const total = pack.count
    yield* say(`Enumerating objects: ${total}, done.\n`)
    for await (const chunk of pack.stream) {
      if (band > 0) yield* sideBand(1, chunk, band)
      else yield chunk
    }
    yield* say(`Total ${total} (delta 0), reused 0 (delta 0), pack-reused 0\n`)
  } catch (err) {
    if (band === 0) throw err
    const message = clientMessage(err)
    if (message === INTERNAL_ERROR) onInternalError?.(err)
    yield* sideBand(3, Buffer.from(`upload-pack: ${message}\n`), band)
  }
  if (band > 0) yield FLUSH
}
