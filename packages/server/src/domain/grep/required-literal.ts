/** Characters that end a run of literal text in RE2 syntax. */
const SPECIAL = new Set(['.', '^', '$', '[', ']', '(', ')', '|', '{', '}'])
const QUANTIFIERS = new Set(['*', '+', '?', '{'])
/** Escapes that stand for themselves (`\(` is `(`); any other escape is a class or an assertion. */
const LITERAL_ESCAPE = /[\\.^$|?*+()[\]{}\-/ !"#%&',:;<=>@_`~]/

/**
 * A string every match of the RE2 pattern must contain, when one can be read off the pattern's
 * top level without parsing it fully (the longest run of plain characters not under a
 * quantifier); null when there is none or the pattern could make it optional (an alternation at
 * the top level, a flag group such as `(?i)`). A line without it cannot match, so a search looks
 * for it with `indexOf` and runs the regular expression only on the lines that hold it.
 *
 * @example
 * requiredLiteral('new [A-Z]\\w+Error\\(') // 'Error('
 * requiredLiteral('foo|bar') // null
 */
export function requiredLiteral(pattern: string): string | null {
  if (pattern.includes('(?')) return null
  let best = ''
  let run = ''
  const end = () => {
    if (run.length > best.length) best = run
    run = ''
  }
  let depth = 0
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]
    if (c === '\\') {
      const next = pattern[i + 1]
      // escapes that take more characters (`\x41`, `\pL`, `\p{Greek}`, octal `\101`): give up
      if (next === undefined || /[xpPQ0-9]/.test(next)) return null
      i++
      if (depth > 0) continue
      if (!LITERAL_ESCAPE.test(next)) {
        end()
        continue
      }
      if (QUANTIFIERS.has(pattern[i + 1] ?? '')) end()
      else run += next
      continue
    }
    if (c === '[') {
      end()
      // a bracket expression: `]` right after `[` or `[^` is a member, `[:alpha:]` nests
      let j = i + 1
      if (pattern[j] === '^') j++
      if (pattern[j] === ']') j++
      while (j < pattern.length && pattern[j] !== ']') {
        if (pattern[j] === '\\') j++
        else if (pattern[j] === '[' && pattern[j + 1] === ':') {
          const close = pattern.indexOf(':]', j + 2)
          if (close < 0) return null
          j = close + 1
        }
        j++
      }
      i = j
      continue
    }
    if (c === '{' && depth === 0) {
      end()
      const repeat = /^\{\d*(,\d*)?\}/.exec(pattern.slice(i))
      if (repeat) i += repeat[0].length - 1
      continue
    }
    if (c === '(') depth++
    if (c === ')') depth--
    if (depth < 0) return null
    if (c === '|' && depth === 0) return null
    if (depth > 0 || c === ')' || SPECIAL.has(c) || QUANTIFIERS.has(c)) {
      end()
      continue
    }
    if (QUANTIFIERS.has(pattern[i + 1] ?? '')) end()
    else run += c
  }
  end()
  return best === '' ? null : best
}
