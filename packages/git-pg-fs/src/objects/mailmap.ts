/** What a mailmap entry maps to: a name, an email, or both (null: keep the original). */
interface MailmapTarget {
  name: string | null
  email: string | null
}

interface MailmapEntry extends MailmapTarget {
  /** entries that also match the commit's name, by lower-cased name */
  byName: Map<string, MailmapTarget>
}

/** git compares mailmap names and emails case-insensitively, ASCII letters only. */
const fold = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase())

/** git's `parse_name_and_email`: `Name <email>` then what follows, or null when malformed. */
function nameAndEmail(
  text: string,
  allowEmptyEmail: boolean,
): { name: string | null; email: string; rest: string } | null {
  const left = text.indexOf('<')
  if (left < 0) return null
  const right = text.indexOf('>', left + 1)
  if (right < 0 || (!allowEmptyEmail && right === left + 1)) return null
  const name = text.slice(0, left).trim()
  return {
    name: name.length > 0 ? name : null,
    email: text.slice(left + 1, right),
    rest: text.slice(right + 1),
  }
}

/**
 * A `.mailmap` as git reads it (mailmap.c): `Proper Name <commit@email>`,
 * `<proper@email> <commit@email>`, `Proper Name <proper@email> <commit@email>` and
 * `Proper Name <proper@email> Commit Name <commit@email>`; `#` starts a comment line.
 *
 * @example
 * const map = new Mailmap(Buffer.from('Ada <ada@new> <ada@old>\n'))
 * map.map({ name: 'ada', email: 'ADA@old' }) // { name: 'Ada', email: 'ada@new' }
 */
export class Mailmap {
  readonly #entries = new Map<string, MailmapEntry>()

  constructor(content: Buffer | string) {
    const text = typeof content === 'string' ? content : content.toString('utf8')
    for (const line of text.split('\n')) if (!line.startsWith('#')) this.#add(line)
  }

  get size(): number {
    return this.#entries.size
  }

  #add(line: string): void {
    const first = nameAndEmail(line, false)
    if (!first) return
    const second = first.rest.length > 0 ? nameAndEmail(first.rest, true) : null
    // one address: it is the commit's, mapped to the name; two: the first is the proper one
    const newName = first.name
    const newEmail = second ? first.email : null
    const oldName = second ? second.name : null
    const oldEmail = second ? second.email : first.email
    const key = fold(oldEmail)
    let entry = this.#entries.get(key)
    if (!entry) this.#entries.set(key, (entry = { name: null, email: null, byName: new Map() }))
    if (oldName === null) {
      if (newName !== null) entry.name = newName
      if (newEmail !== null) entry.email = newEmail
    } else entry.byName.set(fold(oldName), { name: newName, email: newEmail })
  }

  /** git's `map_user`: the identity as the mailmap rewrites it (unchanged when not mapped). */
  map<T extends { name: string; email: string }>(who: T): T {
    const entry = this.#entries.get(fold(who.email))
    if (!entry) return who
    const target = entry.byName.get(fold(who.name)) ?? entry
    if (target.name === null && target.email === null) return who
    return { ...who, name: target.name ?? who.name, email: target.email ?? who.email }
  }
}
