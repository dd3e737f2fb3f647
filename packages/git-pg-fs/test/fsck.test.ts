import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BadObjectError } from '../src/errors.ts'
import { fsckObject, ObjectChecker } from '../src/fsck/object-checker.ts'
import { refuses } from '../src/fsck/fsck-message.ts'
import { makeObject, type GitObject, type ObjectType } from '../src/objects/git-object.ts'

const blob = makeObject('blob', Buffer.from('x\n'))
const bin = (oid: string) => Buffer.from(oid, 'hex')

const emptyTree = makeObject('tree', Buffer.alloc(0))

/**
 * A raw tree from `[mode, name]` pairs, in the order given, each entry pointing at `oid`
 * (directories at the empty tree).
 */
function tree(entries: [string, string | Buffer][], oid = blob.oid): GitObject {
  const parts = entries.flatMap(([mode, name]) => [
    Buffer.from(`${mode} `),
    typeof name === 'string' ? Buffer.from(name) : name,
    Buffer.from([0]),
    bin(mode === '40000' && oid === blob.oid ? emptyTree.oid : oid),
  ])
  return makeObject('tree', Buffer.concat(parts))
}

/** The same, sorted as git sorts a tree. */
function sortedTree(entries: [string, string | Buffer][]): GitObject {
  const key = ([mode, name]: [string, string | Buffer]) =>
    Buffer.concat([Buffer.from(name), Buffer.from(mode === '40000' ? '/' : '')])
  return tree([...entries].sort((a, b) => Buffer.compare(key(a), key(b))))
}
const sig = 'A U Thor <author@example.com> 1700000000 +0100'
const commit = (head: string) => makeObject('commit', Buffer.from(`${head}\n\nmessage\n`))
const tag = (head: string) => makeObject('tag', Buffer.from(`${head}\n\nmessage\n`))

const gitmodules = (text: string) => {
  const b = makeObject('blob', Buffer.from(text))
  return { blob: b, tree: tree([['100644', '.gitmodules']], b.oid) }
}

/**
 * Objects git's `fsck --strict` refuses, with the message id gitpg gives (git names it too,
 * except for objects it cannot even parse: those it refuses with `object could not be parsed`).
 */
const BAD: [string, GitObject, string][] = [
  ['an entry named .git', tree([['100644', '.git']]), 'hasDotgit'],
  ['an entry named .GIT', tree([['40000', '.GIT']], emptyTree.oid), 'hasDotgit'],
  ['.git with a trailing space', tree([['100644', '.git ']]), 'hasDotgit'],
  ['.git with a trailing dot', tree([['100644', '.git.']]), 'hasDotgit'],
  ['the NTFS short name git~1', tree([['100644', 'git~1']]), 'hasDotgit'],
  ['an NTFS stream of .git', tree([['100644', '.git::$INDEX_ALLOCATION']]), 'hasDotgit'],
  ['.git with an HFS+ ignorable', tree([['100644', '.g\u200cit']]), 'hasDotgit'],
  ['.git with a BOM', tree([['100644', '\ufeff.git']]), 'hasDotgit'],
  ['.git after a backslash', tree([['100644', 'a\\.git']]), 'hasDotgit'],
  ['an entry named ..', tree([['40000', '..']], emptyTree.oid), 'hasDotdot'],
  ['an entry named .', tree([['40000', '.']], emptyTree.oid), 'hasDot'],
  ['a name with a slash', tree([['100644', '../../escape.txt']]), 'fullPathname'],
  ['a zero-padded mode', tree([['0100644', 'a']]), 'zeroPaddedFilemode'],
  [
    'duplicate entries',
    tree([
      ['100644', 'a'],
      ['100644', 'a'],
    ]),
    'duplicateEntries',
  ],
  [
    'a file and a directory of one name',
    tree([
      ['100644', 'a'],
      ['100644', 'a.b'],
      ['40000', 'a'],
    ]),
    'duplicateEntries',
  ],
  [
    'entries out of order',
    tree([
      ['100644', 'b'],
      ['100644', 'a'],
    ]),
    'treeNotSorted',
  ],
  ['a null id', tree([['100644', 'a']], '0'.repeat(40)), 'nullSha1'],
  ['a .gitmodules symlink', tree([['120000', '.gitmodules']]), 'gitmodulesSymlink'],
  ['a .gitmodules NTFS short name symlink', tree([['120000', 'GITMOD~1']]), 'gitmodulesSymlink'],
  ['a symlink named like any NTFS short name', tree([['120000', '~1234567']]), 'gitmodulesSymlink'],
  ['an unparsable tree', makeObject('tree', Buffer.from('100644 a\0abc')), 'badTree'],
  [
    'a date that overflows',
    commit(`tree ${emptyTree.oid}\nauthor A <a@b> 99999999999999999999 +0000\ncommitter ${sig}`),
    'badDateOverflow',
  ],
  ['no author', commit(`tree ${emptyTree.oid}\ncommitter ${sig}`), 'missingAuthor'],
  ['no committer', commit(`tree ${emptyTree.oid}\nauthor ${sig}`), 'missingCommitter'],
  ['no tree', commit(`author ${sig}\ncommitter ${sig}`), 'missingTree'],
  [
    'a bad parent',
    commit(`tree ${emptyTree.oid}\nparent xyz\nauthor ${sig}\ncommitter ${sig}`),
    'badParentSha1',
  ],
  [
    'a bad time zone',
    commit(`tree ${emptyTree.oid}\nauthor A <a@b> 1 +01\ncommitter ${sig}`),
    'badTimezone',
  ],
  [
    'a zero-padded date',
    commit(`tree ${emptyTree.oid}\nauthor A <a@b> 0123 +0000\ncommitter ${sig}`),
    'zeroPaddedDate',
  ],
  ['a bad email', commit(`tree ${emptyTree.oid}\nauthor A <a@b\ncommitter ${sig}`), 'badEmail'],
  [
    'two authors',
    commit(`tree ${emptyTree.oid}\nauthor ${sig}\nauthor ${sig}\ncommitter ${sig}`),
    'multipleAuthors',
  ],
  ['a tag of a bad type', tag(`object ${blob.oid}\ntype thing\ntag v1\ntagger ${sig}`), 'badType'],
  ['a tag without a name', tag(`object ${blob.oid}\ntype blob\ntagger ${sig}`), 'missingTagEntry'],
]

/** .gitmodules blobs git refuses, each named by a tree. */
const BAD_GITMODULES: [string, string, string][] = [
  ['a name that climbs', '[submodule "../../x"]\n\tpath = x\n\turl = ./x\n', 'gitmodulesName'],
  ['a backslash name', '[submodule "a\\\\..\\\\..\\\\x"]\n\turl = ./x\n', 'gitmodulesName'],
  ['an option as url', '[submodule "x"]\n\turl = --upload-pack=touch /tmp/pwn\n', 'gitmodulesUrl'],
  ['a url that escapes its host', '[submodule "x"]\n\turl = ../../:x\n', 'gitmodulesUrl'],
  ['a url without host', '[submodule "x"]\n\turl = https:///example.com/x\n', 'gitmodulesUrl'],
  ['a url with a newline', '[submodule "x"]\n\turl = ./%0ahost=x\n', 'gitmodulesUrl'],
  ['an option as path', '[submodule "x"]\n\tpath = -x\n\turl = ./x\n', 'gitmodulesPath'],
  ['a command as update', '[submodule "x"]\n\tupdate = !rm -rf /\n', 'gitmodulesUpdate'],
]

/** Unusual objects git accepts. */
const GOOD: [string, GitObject][] = [
  [
    'unusual names',
    sortedTree([
      ['100644', '.gitignore'],
      ['100644', '.github'],
      ['100644', '.gitx'],
      ['100644', '...'],
      ['100644', 'a..b'],
      ['100644', 'git~2'],
      ['100644', 'git~1x'],
      ['100644', 'é.md'],
      ['100644', '日本'],
    ]),
  ],
  ['a non-UTF-8 name', sortedTree([['100644', Buffer.from([0x63, 0x61, 0x66, 0xe9])]])],
  [
    'a symlink and an executable',
    sortedTree([
      ['100755', 'a'],
      ['120000', 'b'],
    ]),
  ],
  [
    'a file before its namesake directory',
    sortedTree([
      ['40000', 'a'],
      ['100644', 'a.c'],
      ['100644', 'a-'],
    ]),
  ],
  ['a plain commit', commit(`tree ${emptyTree.oid}\nauthor ${sig}\ncommitter ${sig}`)],
  [
    'a merge with a far-future date',
    commit(
      `tree ${emptyTree.oid}\nparent ${'1'.repeat(40)}\nparent ${'2'.repeat(40)}\n` +
        `author A <a@b> 4102444800 -1200\ncommitter ${sig}\nencoding latin1`,
    ),
  ],
  ['an old tag without tagger', tag(`object ${blob.oid}\ntype blob\ntag v1`)],
  ['a tag', tag(`object ${blob.oid}\ntype blob\ntag v1.0\ntagger ${sig}`)],
]

let dir = ''
const git = (args: string[], input?: Buffer) =>
  spawnSync('git', args, { cwd: dir, input, encoding: 'utf8' })

/** Writes `o` into the scratch repository as is, like a push of crafted objects would. */
function store(o: GitObject) {
  const r = git(
    ['hash-object', '--literally', '-w', '-t', o.type as ObjectType, '--stdin'],
    o.content,
  )
  expect(r.stdout.trim()).toBe(o.oid)
}

/** What `git fsck --strict` says about the repository (errors and warnings). */
let fsckOutput: string | null = null
const gitFsck = () =>
  (fsckOutput ??= git(['fsck', '--strict', '--no-dangling', '--no-progress']).stderr)

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gitpg-fsck-'))
  execFileSync('git', ['init', '-q', '--bare', dir])
  store(blob)
  store(emptyTree)
  for (const [, o] of BAD) store(o)
  for (const [, text] of BAD_GITMODULES) {
    const g = gitmodules(text)
    store(g.blob)
    store(g.tree)
  }
  for (const [, o] of GOOD) store(o)
})

afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('fsckObject', () => {
  it.each(BAD)('refuses %s as git does', (_, o, id) => {
    const problems = fsckObject(o)
    expect(problems.filter(refuses).map((p) => p.id)).toContain(id)
    const unparsable = ['missingTree', 'badParentSha1', 'badType', 'missingTagEntry']
    const said = unparsable.includes(id) ? 'object could not be parsed' : `${id}\\b`
    expect(gitFsck()).toMatch(new RegExp(`error.*${o.oid}: ${said}`))
  })

  it.each(BAD_GITMODULES)('refuses a .gitmodules with %s as git does', (_, text, id) => {
    const g = gitmodules(text)
    const checker = new ObjectChecker()
    checker.check(g.tree)
    const err = (() => {
      try {
        checker.check(g.blob)
      } catch (e) {
        return e as BadObjectError
      }
    })()
    expect(err).toBeInstanceOf(BadObjectError)
    expect(err!.code).toBe('BAD_OBJECT')
    expect(err!.data).toMatchObject({ oid: g.blob.oid, fsck: id })
    expect(err!.message).toMatch(new RegExp(`^object ${g.blob.oid}: ${id}: `))
    expect(gitFsck()).toMatch(new RegExp(`${g.blob.oid}: ${id}\\b`))
  })

  it.each(GOOD)('accepts %s as git does', (_, o) => {
    expect(fsckObject(o).filter(refuses)).toEqual([])
    expect(gitFsck()).not.toMatch(new RegExp(`error.*${o.oid}`))
  })
})

describe('fsckObject beyond git', () => {
  it('refuses a date past 2^53 - 1, which git takes but JavaScript cannot hold exactly', () => {
    const late = (date: string) =>
      commit(`tree ${emptyTree.oid}\nauthor A <a@b> ${date} +0000\ncommitter ${sig}`)
    expect(fsckObject(late('9007199254740992')).map((p) => p.id)).toEqual(['badDateOverflow'])
    expect(fsckObject(late('9007199254740991'))).toEqual([])
  })
})

describe('ObjectChecker', () => {
  it('checks a .gitmodules blob that comes before its tree, at the end', async () => {
    const g = gitmodules('[submodule "../x"]\n\turl = ./x\n')
    const checker = new ObjectChecker()
    checker.check(g.blob)
    checker.check(g.tree)
    expect(checker.unchecked).toEqual([g.blob.oid])
    await expect(checker.finish(async () => new Map([[g.blob.oid, g.blob]]))).rejects.toThrow(
      `object ${g.blob.oid}: gitmodulesName: disallowed submodule name: ../x`,
    )
  })

  it('refuses a tree naming a tree as .gitmodules', async () => {
    const t = tree([['100644', '.gitmodules']], emptyTree.oid)
    const checker = new ObjectChecker()
    checker.check(t)
    await expect(
      checker.finish(async () => new Map([[emptyTree.oid, emptyTree]])),
    ).rejects.toMatchObject({ code: 'BAD_OBJECT', data: { fsck: 'gitmodulesBlob' } })
  })

  it('accepts a good .gitmodules and leaves missing blobs to the connectivity check', async () => {
    const g = gitmodules('[submodule "lib"]\n\tpath = lib\n\turl = https://example.com/lib.git\n')
    const checker = new ObjectChecker()
    checker.check(g.tree)
    checker.check(g.blob)
    checker.check(tree([['100644', '.gitmodules']], '3'.repeat(40)))
    await expect(checker.finish(async () => new Map())).resolves.toBeUndefined()
  })
})
