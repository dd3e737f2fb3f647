import { GitPgError, RefConflictError } from '../errors.ts'
import type { GitObject } from '../objects/git-object.ts'
import { readPack } from '../pack/read-pack.ts'
import { refNameProblem } from '../refs/check-ref-name.ts'
import type { GitStore, RefUpdate } from '../store/git-store.ts'
import { ZERO_OID } from './advertise-refs.ts'
import { FLUSH, pktLine, sideBand } from './pkt-line.ts'
import { checkReceivedObjects } from './check-received.ts'

/** One ref a push changed: `old`/`new` null for a created / deleted ref. */
export interface AppliedRefUpdate {
  name: string
  old: string | null
  new: string | null
}

/** Called inside the transaction that moves the refs, so anything it writes commits with them. */
export type OnRefsUpdated = (event: {
  tx: GitStore
  repoId: number
  updates: AppliedRefUpdate[]
}) => Promise<void>

export interface ReceivePackOptions {
  store: GitStore
  repoId: number
  /** the request body: commands as pkt-lines, a flush, then the pack */
  request: AsyncIterable<Uint8Array>
  onRefsUpdated?: OnRefsUpdated
}

export interface PushCommand {
  old: string
  new: string
  name: string
  /** null when it succeeded; otherwise git's reason (`failed to update ref`, ...) */
  error: string | null
}

/** Thrown inside the transaction to roll back an atomic push. */
class AtomicAbort extends Error {}

/**
 * git-receive-pack for one smart HTTP request: parses the commands, unpacks and checks the pack
 * (every object parsed, everything it points at present), then in one transaction stores the
 * objects and moves each ref by compare-and-swap against the old id the client sent, like git:
 * a ref that moved since the client looked is refused with `failed to update ref`; with `atomic`,
 * one refusal refuses all. Answers with report-status, in side-band when asked.
 *
 * @example
 * for await (const chunk of receivePack({ store, repoId, request })) res.write(chunk)
 */
export async function* receivePack({
  store,
  repoId,
  request,
  onRefsUpdated,
}: ReceivePackOptions): AsyncGenerator<Buffer> {
  const { lines, pack } = await readCommandsAndPack(request)
  const commands: PushCommand[] = []
  let caps = new Set<string>()
  for (const [i, line] of lines.entries()) {
    const [text, capText] = line.split('\0')
    if (i === 0 && capText !== undefined) caps = new Set(capText.trim().split(' '))
    const m = /^([0-9a-f]{40}) ([0-9a-f]{40}) (.+)$/.exec(text)
    if (m) commands.push({ old: m[1], new: m[2], name: m[3], error: null })
  }
  if (commands.length === 0) return
  const messages: string[] = []
  const atomic = caps.has('atomic')

  let unpackError: string | null = null
  let objects: GitObject[] = []
  let missing: string[] = []
  if (commands.some((c) => c.new !== ZERO_OID) && pack.length > 0) {
    try {
      objects = await readPack(pack, {
        resolveBase: async (oid) => (await store.readObjects(repoId, [oid])).get(oid) ?? null,
      })
      missing = await checkReceivedObjects({ store, repoId, objects })
    } catch (err) {
      unpackError = (err as Error).message
    }
  }
  if (unpackError) {
    for (const c of commands) c.error = 'unpacker error'
  } else {
    await checkCommands({ store, repoId, commands, objects, missing, messages })
  }

  if (!unpackError) {
    try {
      await applyCommands({ store, repoId, commands, objects, atomic, messages, onRefsUpdated })
    } catch (err) {
      if (!(err instanceof AtomicAbort)) {
        messages.push((err as Error).message)
        for (const c of commands) c.error ??= 'failed to update ref'
      }
    }
  }
  if (atomic && commands.some((c) => c.error)) {
    for (const c of commands) c.error ??= 'atomic push failure'
  }
  yield* report({ caps, unpackError, commands, messages })
}

async function checkCommands({
  store,
  repoId,
  commands,
  objects,
  missing,
  messages,
}: {
  store: GitStore
  repoId: number
  commands: PushCommand[]
  objects: GitObject[]
  missing: string[]
  messages: string[]
}) {
  const head = await store.readRef(repoId, 'HEAD')
  const existing = (await store.listRefs(repoId, 'refs/')).map((r) => r.name)
  const received = new Map(objects.map((o) => [o.oid, o]))
  const tips = commands.filter((c) => c.new !== ZERO_OID && !received.has(c.new))
  const info = await store.readObjectInfo(
    repoId,
    tips.map((c) => c.new),
  )
  for (const c of commands) {
    const type = received.get(c.new)?.type ?? info.get(c.new)?.type
    if (!c.name.startsWith('refs/') || refNameProblem(c.name)) {
      messages.push(`refusing to create funny ref '${c.name}' remotely`)
      c.error = 'funny refname'
    } else if (c.new !== ZERO_OID && nameConflict(c.name, existing)) {
      const other = nameConflict(c.name, existing)!
      messages.push(`cannot lock ref '${c.name}': '${other}' exists; cannot create '${c.name}'`)
      c.error = 'failed to update ref'
    } else if (c.new === ZERO_OID) {
      if (head?.target === c.name) {
        messages.push(`refusing to delete the current branch: ${c.name}`)
        c.error = 'deletion of the current branch prohibited'
      }
    } else if (!type) {
      messages.push(`unpack should have generated ${c.new}, but I can't find it!`)
      c.error = 'bad pack'
    } else if (missing.length > 0) {
      messages.push(`${c.name}: missing necessary objects (${missing[0]}, ...)`)
      c.error = 'missing necessary objects'
    } else if (c.name.startsWith('refs/heads/') && type !== 'commit') {
      messages.push(`refusing to point branch ${c.name} at a ${type}`)
      c.error = 'bad ref'
    }
  }
}

/** A ref that cannot live next to `name` in git's files layout (`a/b` vs `a/b/c`), if any. */
function nameConflict(name: string, refs: readonly string[]): string | undefined {
  return refs.find((r) => r.startsWith(`${name}/`) || name.startsWith(`${r}/`))
}

async function applyCommands({
  store,
  repoId,
  commands,
  objects,
  atomic,
  messages,
  onRefsUpdated,
}: {
  store: GitStore
  repoId: number
  commands: PushCommand[]
  objects: GitObject[]
  atomic: boolean
  messages: string[]
  onRefsUpdated?: OnRefsUpdated
}) {
  if (atomic && commands.some((c) => c.error)) throw new AtomicAbort()
  const valid = commands.filter((c) => !c.error)
  if (valid.length === 0 && objects.length === 0) return
  await store.transaction(async (tx) => {
    if (objects.length > 0) await tx.writeObjects(repoId, objects)
    const applied: AppliedRefUpdate[] = []
    for (const c of valid) {
      const update: RefUpdate = {
        name: c.name,
        oid: c.new === ZERO_OID ? null : c.new,
        expected: c.old === ZERO_OID ? (c.new === ZERO_OID ? undefined : null) : c.old,
      }
      try {
        await tx.updateRefs(repoId, [update])
        applied.push({ name: c.name, old: update.expected ?? null, new: update.oid })
      } catch (err) {
        if (!(err instanceof RefConflictError)) throw err
        const actual = err.data.actual as string | null
        messages.push(
          update.expected === null
            ? `cannot lock ref '${c.name}': reference already exists`
            : `cannot lock ref '${c.name}': is at ${actual ?? ZERO_OID} but expected ${c.old}`,
        )
        c.error = update.oid === null ? 'failed to delete' : 'failed to update ref'
        if (atomic) throw new AtomicAbort()
      }
    }
    if (applied.length > 0 && onRefsUpdated) await onRefsUpdated({ tx, repoId, updates: applied })
  })
}

/** report-status, and the error messages on side-band 2 when the client takes side-band. */
function* report({
  caps,
  unpackError,
  commands,
  messages,
}: {
  caps: Set<string>
  unpackError: string | null
  commands: PushCommand[]
  messages: string[]
}): Generator<Buffer> {
  const band = caps.has('side-band-64k') ? 65515 : 0
  if (band > 0) {
    for (const m of messages) yield* sideBand(2, Buffer.from(`error: ${m}\n`), band)
  }
  if (caps.has('report-status')) {
    const lines = [`unpack ${unpackError ?? 'ok'}\n`]
    for (const c of commands) lines.push(c.error ? `ng ${c.name} ${c.error}\n` : `ok ${c.name}\n`)
    const status = Buffer.concat([...lines.map((l) => pktLine(l)), FLUSH])
    if (band > 0) yield* sideBand(1, status, band)
    else yield status
  }
  if (band > 0) yield FLUSH
}

/** Splits the request into its command pkt-lines (up to the flush) and the pack after them. */
async function readCommandsAndPack(
  request: AsyncIterable<Uint8Array>,
): Promise<{ lines: string[]; pack: Buffer }> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(Buffer.from(chunk))
  const body = Buffer.concat(chunks)
  const lines: string[] = []
  let i = 0
  while (i + 4 <= body.length) {
    const len = parseInt(body.toString('latin1', i, i + 4), 16)
    if (Number.isNaN(len) || (len > 0 && len < 4) || i + len > body.length)
      throw new GitPgError('PROTOCOL_ERROR', 'malformed push commands')
    if (len === 0) {
      i += 4
      break
    }
    const text = body.toString('utf8', i + 4, i + len)
    lines.push(text.endsWith('\n') ? text.slice(0, -1) : text)
    i += len
  }
  return { lines: lines.filter((l) => !l.startsWith('shallow ')), pack: body.subarray(i) }
}
