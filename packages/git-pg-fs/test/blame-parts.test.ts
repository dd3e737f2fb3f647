import { describe, expect, it } from 'vitest'
import { splitByHunks } from '../src/blame/blame-entries.ts'
import { CommitQueue } from '../src/blame/commit-queue.ts'
import { countLines, lineRange } from '../src/blame/line-range.ts'
import { trimCommonTail } from '../src/blame/trim-common-tail.ts'
import { GitPgError } from '../src/errors.ts'

describe('trimCommonTail', () => {
  it('cuts equal 1 KiB blocks from the end, given back to the end of the cut line', () => {
    const tail = 'x'.repeat(1500) + '\n' + 'y\n'.repeat(600)
    const a = Buffer.from('first a\n' + tail)
    const b = Buffer.from('first b, longer\n' + tail)
    const cut = trimCommonTail(a, b)
    expect(cut % 2).toBe(0)
    expect(cut).toBeGreaterThan(1024)
    expect(cut).toBeLessThanOrEqual(2048)
    // what is left of both ends right after a newline
    expect(a[a.length - cut - 1]).toBe(10)
    expect(b[b.length - cut - 1]).toBe(10)
  })

  it('cuts nothing from files shorter than a block or different at the end', () => {
    expect(trimCommonTail(Buffer.from('a\nb\n'), Buffer.from('c\nb\n'))).toBe(0)
    const long = 'z\n'.repeat(2000)
    expect(trimCommonTail(Buffer.from(long + 'a'), Buffer.from(long + 'b'))).toBe(0)
  })
})

describe('splitByHunks', () => {
  it('keeps changed lines and passes the others at their line in the parent', () => {
    // parent: a b c d e; child: a X c d Y Z e (b replaced by X, Y Z inserted before e)
    const hunks = [
      { oldStart: 1, oldCount: 1, newStart: 1, newCount: 1 },
      { oldStart: 4, oldCount: 0, newStart: 4, newCount: 2 },
    ]
    const { passed, kept } = splitByHunks([{ lno: 0, sLno: 0, count: 7 }], hunks)
    expect(kept).toEqual([
      { lno: 1, sLno: 1, count: 1 },
      { lno: 4, sLno: 4, count: 2 },
    ])
    expect(passed).toEqual([
      { lno: 0, sLno: 0, count: 1 },
      { lno: 2, sLno: 2, count: 2 },
      { lno: 6, sLno: 4, count: 1 },
    ])
  })

  it('shifts lines after a deletion and splits entries that straddle a hunk', () => {
    // parent: a b c d; child: a d (b c deleted); the entry covers only the child's last line
    const hunks = [{ oldStart: 1, oldCount: 2, newStart: 1, newCount: 0 }]
    expect(splitByHunks([{ lno: 10, sLno: 1, count: 1 }], hunks)).toEqual({
      passed: [{ lno: 10, sLno: 3, count: 1 }],
      kept: [],
    })
  })
})

describe('CommitQueue', () => {
  it('gives the newest commit first, and equal dates in the order they came', () => {
    const q = new CommitQueue()
    q.push('old', 100)
    q.push('tie1', 200)
    q.push('new', 300)
    q.push('tie2', 200)
    q.push('tie3', 200)
    expect([q.pop(), q.pop(), q.pop(), q.pop(), q.pop(), q.pop()]).toEqual([
      'new',
      'tie1',
      'tie2',
      'tie3',
      'old',
      undefined,
    ])
  })
})

describe('lineRange', () => {
  it('checks -L as git does: swapped ends, an end past the file, a start past it', () => {
    expect(lineRange({ path: 'f', lineCount: 10, start: 7, end: 3 })).toEqual({
      first: 2,
      count: 5,
    })
    expect(lineRange({ path: 'f', lineCount: 10, start: 9, end: 50 })).toEqual({
      first: 8,
      count: 2,
    })
    expect(lineRange({ path: 'f', lineCount: 0 })).toEqual({ first: 0, count: 0 })
    const err = (() => {
      try {
        lineRange({ path: 'f', lineCount: 10, start: 11 })
      } catch (e) {
        return e
      }
    })()
    expect(err).toBeInstanceOf(GitPgError)
    expect(err).toMatchObject({ code: 'LINE_OUT_OF_RANGE' })
  })

  it('counts a last line without newline', () => {
    expect(countLines(Buffer.from(''))).toBe(0)
    expect(countLines(Buffer.from('a\nb'))).toBe(2)
    expect(countLines(Buffer.from('a\nb\n'))).toBe(2)
  })
})
