import { randomBytes } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

export const API_KEY_FILE = 'api-key'

/**
 * The API key: `GITPG_API_KEY` when set, else the one saved in the data dir, else a new random
 * key saved there (mode 0600). `generated` is true only on the start that created it.
 */
export async function resolveApiKey({
  configured,
  dataDir,
}: {
  configured: string | null
  dataDir: string
}): Promise<{ key: string; generated: boolean; file: string | null }> {
  if (configured) return { key: configured, generated: false, file: null }
  const file = join(dataDir, API_KEY_FILE)
  try {
    const saved = (await readFile(file, 'utf8')).trim()
    if (saved.length > 0) return { key: saved, generated: false, file }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
  await mkdir(dataDir, { recursive: true })
  const key = randomBytes(32).toString('base64url')
  try {
    await writeFile(file, `${key}\n`, { mode: 0o600, flag: 'wx' })
  } catch (err) {
    // another server created it first: use that one
    if ((err as NodeJS.ErrnoException).code === 'EEXIST')
      return resolveApiKey({ configured, dataDir })
    throw err
  }
  return { key, generated: true, file }
}
