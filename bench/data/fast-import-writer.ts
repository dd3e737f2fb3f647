import type { Writable } from 'node:stream'
import { once } from 'node:events'

export interface Person {
  name: string
  email: string
}

export interface CommitSpec {
  ref: string
  author: Person
  /** seconds since the epoch */
  time: number
  message: string
  from?: number
  merge?: number
  /** path → blob mark, or null to delete */
  changes: ReadonlyMap<string, number | null>
}

/**
 * Writes a `git fast-import` stream: blobs and commits by mark, with backpressure.
 *
 * @example
 * const w = new FastImportWriter(child.stdin)
 * const blob = w.blob(Buffer.from('hi\n'))
 * const commit = w.commit({ ref: 'refs/heads/main', author, time, message, changes })
 * await w.flush()
 */
export class FastImportWriter {
  #out: Writable
  #chunks: Buffer[] = []
  #mark = 0

  constructor(out: Writable) {
    this.#out = out
  }

  #push(text: string | Buffer) {
    this.#chunks.push(typeof text === 'string' ? Buffer.from(text, 'utf8') : text)
  }

  blob(content: Buffer): number {
    const mark = ++this.#mark
    this.#push(`blob\nmark :${mark}\ndata ${content.length}\n`)
    this.#push(content)
    this.#push('\n')
    return mark
  }

  commit(spec: CommitSpec): number {
    const mark = ++this.#mark
    const who = `${spec.author.name} <${spec.author.email}> ${spec.time} +0000`
    const message = Buffer.from(spec.message, 'utf8')
    let head = `commit ${spec.ref}\nmark :${mark}\nauthor ${who}\ncommitter ${who}\n`
    head += `data ${message.length}\n`
    this.#push(head)
    this.#push(message)
    let tail = '\n'
    if (spec.from !== undefined) tail += `from :${spec.from}\n`
    if (spec.merge !== undefined) tail += `merge :${spec.merge}\n`
    const paths = [...spec.changes.keys()].sort()
    for (const path of paths) {
      const blob = spec.changes.get(path)
      tail += blob === null ? `D ${path}\n` : `M 100644 :${blob} ${path}\n`
    }
    this.#push(tail + '\n')
    return mark
  }

  tag({
    name,
    target,
    tagger,
    time,
    message,
  }: {
    name: string
    target: number
    tagger: Person
    time: number
    message: string
  }): void {
    const body = Buffer.from(message, 'utf8')
    this.#push(
      `tag ${name}\nfrom :${target}\ntagger ${tagger.name} <${tagger.email}> ${time} +0000\n`,
    )
    this.#push(`data ${body.length}\n`)
    this.#push(body)
    this.#push('\n')
  }

  async flush(): Promise<void> {
    const data = Buffer.concat(this.#chunks)
    this.#chunks = []
    if (!this.#out.write(data)) await once(this.#out, 'drain')
  }

  async end(): Promise<void> {
    this.#push('done\n')
    await this.flush()
    this.#out.end()
  }
}
