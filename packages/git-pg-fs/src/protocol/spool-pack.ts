import { rmSync } from 'node:fs'
import { mkdtemp, open } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A pushed pack kept in a temporary file. */
export interface PackFile {
  size: number
  /** where the pack is */
  file: string
  /** removes the file */
  dispose(): void
}

/**
 * Writes a pack arriving from a client to a temporary file, chunk by chunk: memory holds one
 * chunk however large the push, and the database transaction that stores the objects starts
 * only once the client has sent everything (a slow client holds no connection). Null for an
 * empty body (a push that only deletes refs sends no pack).
 *
 * @example
 * const pack = await spoolPack(reader.rest())
 * try { if (pack) await read(pack.file) } finally { pack?.dispose() }
 */
export async function spoolPack(chunks: AsyncIterable<Uint8Array>): Promise<PackFile | null> {
  const dir = await mkdtemp(join(tmpdir(), 'gitpg-receive-'))
  const path = join(dir, 'pack')
  const remove = () => rmSync(dir, { recursive: true, force: true })
  let size = 0
  try {
    const file = await open(path, 'w')
    try {
      for await (const chunk of chunks) {
        await file.write(chunk)
        size += chunk.length
      }
    } finally {
      await file.close()
    }
  } catch (err) {
    remove()
    throw err
  }
  if (size === 0) {
    remove()
    return null
  }
  return {
    size,
    file: path,
    dispose: remove,
  }
}
