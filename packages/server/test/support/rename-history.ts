import type { GitFixture } from './git-fixture.ts'

/** 30 lines of text, each tagged `tag`: files that are similar only to themselves. */
export const taggedText = (tag: string): string =>
  Array.from({ length: 30 }, (_, i) => `${tag} ${i} some words to weigh the line\n`).join('')

/**
 * Three commits on the fixture: `base` with old/exact.txt and old/<tag>.txt per entry of
 * `renamed`; `moved`, where exact.txt moves to new/ unchanged and each old/<tag>.txt becomes
 * new/<tag>-renamed.txt with its line `line` changed; `edited`, where line 4 of the first
 * renamed file changes.
 *
 * @example
 * const c = renameHistory(g, [['one', 3]]) // git diff -M c.base c.moved: R100 exact, R0xx one
 */
export function renameHistory(
  g: GitFixture,
  renamed: [tag: string, line: number][],
): { base: string; moved: string; edited: string } {
  g.write('old/exact.txt', taggedText('exact'))
  for (const [tag] of renamed) g.write(`old/${tag}.txt`, taggedText(tag))
  const base = g.commit('base')
  g.remove('old/exact.txt')
  g.write('new/exact.txt', taggedText('exact'))
  for (const [tag, line] of renamed) {
    g.remove(`old/${tag}.txt`)
    g.write(`new/${tag}-renamed.txt`, taggedText(tag).replace(`${tag} ${line}`, `changed ${line}`))
  }
  const moved = g.commit('moved')
  const [first] = renamed[0]
  g.write(`new/${first}-renamed.txt`, taggedText(first).replace(`${first} 4`, 'changed 4'))
  const edited = g.commit('edited')
  return { base, moved, edited }
}
