export type NodeType = 'file' | 'dir' | 'symlink'

const MODES: Record<NodeType, number> = { file: 0o100644, dir: 0o40755, symlink: 0o120777 }

/** The `fs.Stats` subset isomorphic-git reads: type checks, size, mode, times, ino, uid, gid, dev. */
export class PgStats {
  readonly mode: number
  readonly size: number
  readonly ino: number
  readonly mtimeMs: number
  readonly ctimeMs: number
  readonly atimeMs: number
  readonly birthtimeMs: number
  readonly mtime: Date
  readonly ctime: Date
  readonly atime: Date
  readonly birthtime: Date
  readonly uid = 0
  readonly gid = 0
  readonly dev = 1
  readonly nlink = 1
  readonly #type: NodeType

  constructor({
    type,
    size,
    ino,
    mtimeMs,
  }: {
    type: NodeType
    size: number
    ino: number
    mtimeMs: number
  }) {
    this.#type = type
    this.mode = MODES[type]
    this.size = size
    this.ino = ino
    this.mtimeMs = this.ctimeMs = this.atimeMs = this.birthtimeMs = mtimeMs
    this.mtime = this.ctime = this.atime = this.birthtime = new Date(mtimeMs)
  }

  isFile(): boolean {
    return this.#type === 'file'
  }

  isDirectory(): boolean {
    return this.#type === 'dir'
  }

  isSymbolicLink(): boolean {
    return this.#type === 'symlink'
  }
}

/** A stable 32-bit inode number for a key (FNV-1a). */
export function inodeOf(key: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}
