import { GitPgError, RefConflictError } from '../errors.ts'
import type { ObjectType } from '../objects/git-object.ts'
import { refNameProblem } from '../refs/check-ref-name.ts'
import { findMissingObjects } from '../repo/check-connected.ts'
import type { GitStore, RefUpdate } from '../store/git-store.ts'
import { ZERO_OID } from './advertise-refs.ts'
import { clientMessage, INTERNAL_ERROR } from './client-message.ts'
import { FLUSH, pktLine, sideBand } from './pkt-line.ts'
import { PktReader } from './pkt-reader.ts'
import { spoolPack, type PackFile } from './spool-pack.ts'
import { storePack } from './store-pack.ts'

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
  /** objects larger than this, in bytes, are refused (default: no limit) */
  maxObjectSize?: number
  /** told of each unexpected error, whose detail the client only sees as `internal error` */
  onInternalError?: (err: unknown) => void
}

export interface PushCommand {
  old: string
  new: string
  name: string
  /** null when it succeeded; otherwise git's reason (`failed to update ref`, ...) */
  error: string | null
}

/** Thrown inside the transaction to roll it back: the push stores nothing. */
class Rollback extends Error {}

/** At most this many commands in one push (git sends one per ref). */
const MAX_COMMANDS = 100_000

/**
 * git-receive-pack for one smart HTTP request. The pack is spooled to a temporary file as it
 * arrives (memory holds a bounded window, see `spoolPack`); then, in one transaction, its objects
 * are parsed, checked and written in batches, each command is checked (ref name, object type, the
 * new tip's whole history present, see `findMissingObjects`) and each ref is moved by
 * compare-and-swap against the old id the client sent, like git: a ref that moved since the
 * client looked is refused with `failed to update ref`; with `atomic`, one refusal refuses all.
 * A push that moves no ref rolls back: its objects are not kept (git's quarantine). Answers with
 * report-status, in side-band when asked; every message is one line, and an unexpected error
 * reaches the client as `internal error` only.
 *
 * @example
 * for await (const chunk of receivePack({ store, repoId, request })) res.write(chunk)
 */
export async function* receivePack({
  store,
  repoId,
  request,
  onRefsUpdated,
  maxObjectSize = Infinity,
  onInternalError = () => {},
}: ReceivePackOptions): AsyncGenerator<Buffer> {
  const reader = new PktReader(request)
  const lines = await readCommands(reader)
  const commands: PushCommand[] = []
  let caps = new Set<string>()
  for (const [i, line] of lines.entries()) {
    const [text, capText] = line.split('\0')
    if (i === 0 && capText !== undefined) caps = new Set(capText.trim().split(' '))
    const m = /^([0-9a-f]{40}) ([0-9a-f]{40}) (.+)$/.exec(text)
    if (m) commands.push({ old: m[1], new: m[2], name: m[3], error: null })
  }
  if (commands.length === 0) {
    await reader.drain()
    return
  }
  const messages: string[] = []
  const atomic = caps.has('atomic')
  const say = (err: unknown) => {
    const line = clientMessage(err)
    if (line === INTERNAL_ERROR) onInternalError(err)
    return line
  }

  let unpackError: string | null = null
  let spool: PackFile | null = null
  try {
    if (commands.some((c) => c.new !== ZERO_OID)) {
      try {
        spool = await spoolPack(reader.rest())
      } catch (err) {
        unpackError = say(err)
        messages.push(unpackError)
      }
    }
    await reader.drain()
    if (unpackError) {
      for (const c of commands) c.error = 'unpacker error'
    } else {
      try {
        await store.transaction(async (tx) => {
          let received = new Map<string, ObjectType>()
          let missing: string[] = []
          if (spool) {
            try {
              ;({ received, missing } = await storePack({
                store: tx,
                repoId,
                pack: spool,
                maxObjectSize,
              }))
            } catch (err) {
              unpackError = say(err)
              messages.push(unpackError)
              for (const c of commands) c.error = 'unpacker error'
              throw new Rollback()
            }
          }
          await checkCommands({ store: tx, repoId, commands, received, missing, messages })
          await checkHistory({ store: tx, repoId, commands, messages })
          await applyCommands({ store: tx, repoId, commands, atomic, messages, onRefsUpdated })
        })
      } catch (err) {
        if (!(err instanceof Rollback)) {
          messages.push(say(err))
          for (const c of commands) c.error ??= 'failed to update ref'
        }
      }
    }
  } finally {
    spool?.dispose()
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
  received,
  missing,
  messages,
}: {
  store: GitStore
  repoId: number
  commands: PushCommand[]
  received: ReadonlyMap<string, ObjectType>
  missing: string[]
  messages: string[]
}) {
  const head = await store.readRef(repoId, 'HEAD')
  const existing = (await store.listRefs(repoId, 'refs/')).map((r) => r.name)
  const tips = commands.filter((c) => c.new !== ZERO_OID && !received.has(c.new))
  const info = await store.readObjectInfo(
    repoId,
    tips.map((c) => c.new),
  )
  for (const c of commands) {
    const type = received.get(c.new) ?? info.get(c.new)?.type
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

/**
 * Refuses each command whose new tip's history is not all stored (git's `check_connected`): the
 * pack may be complete while naming a parent that exists nowhere.
 */
async function checkHistory({
  store,
  repoId,
  commands,
  messages,
}: {
  store: GitStore
  repoId: number
  commands: PushCommand[]
  messages: string[]
}) {
  const updates = commands.filter((c) => !c.error && c.new !== ZERO_OID)
  const tips = updates.map((c) => c.new)
  if ((await findMissingObjects({ store, repoId, tips })).length === 0) return
  for (const c of updates) {
    const missing = await findMissingObjects({ store, repoId, tips: [c.new] })
    if (missing.length === 0) continue
    messages.push(`${c.name}: missing necessary objects (${missing[0]}, ...)`)
    c.error = 'missing necessary objects'
  }
}

/** Moves the refs of the commands still valid; rolls back when none moved. */
async function applyCommands({
  store,
  repoId,
  commands,
  atomic,
  messages,
  onRefsUpdated,
}: {
  store: GitStore
  repoId: number
  commands: PushCommand[]
  atomic: boolean
  messages: string[]
  onRefsUpdated?: OnRefsUpdated
}) {
  if (atomic && commands.some((c) => c.error)) throw new Rollback()
  const applied: AppliedRefUpdate[] = []
  for (const c of commands.filter((c) => !c.error)) {
    const update: RefUpdate = {
      name: c.name,
      oid: c.new === ZERO_OID ? null : c.new,
      expected: c.old === ZERO_OID ? (c.new === ZERO_OID ? undefined : null) : c.old,
    }
    try {
      await store.updateRefs(repoId, [update])
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
      if (atomic) throw new Rollback()
    }
  }
  if (applied.length === 0) throw new Rollback()
  if (onRefsUpdated) await onRefsUpdated({ tx: store, repoId, updates: applied })
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

/** The command pkt-lines, up to the flush (shallow lines dropped). */
async function readCommands(reader: PktReader): Promise<string[]> {
  const lines: string[] = []
  for (;;) {
    const p = await reader.next()
    if (p === null || p === 'flush') break
    if (!Buffer.isBuffer(p)) throw new GitPgError('PROTOCOL_ERROR', 'malformed push commands')
    if (lines.length === MAX_COMMANDS)
      throw new GitPgError('PROTOCOL_ERROR', `more than ${MAX_COMMANDS} push commands`)
    const text = p.toString('utf8')
    const line = text.endsWith('\n') ? text.slice(0, -1) : text
    if (!line.startsWith('shallow ')) lines.push(line)
  }
  return lines
}
