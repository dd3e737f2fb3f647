/** Lines of both sides replaced by class numbers: equal lines, equal numbers. */
export interface LineClasses {
  /** class of each old line */
  old: Int32Array
  /** class of each new line */
  new: Int32Array
  /** how many old lines are in each class */
  oldCount: Int32Array
  /** how many new lines are in each class */
  newCount: Int32Array
}

/**
 * Numbers the distinct lines of both sides, as xdiff's classifier does, so the diff compares
 * integers instead of strings and counts how often each line occurs on each side.
 */
export function classifyLines(oldLines: readonly string[], newLines: readonly string[]) {
  const ids = new Map<string, number>()
  const classify = (lines: readonly string[]) => {
    const out = new Int32Array(lines.length)
    for (let i = 0; i < lines.length; i++) {
      let id = ids.get(lines[i])
      if (id === undefined) {
        id = ids.size
        ids.set(lines[i], id)
      }
      out[i] = id
    }
    return out
  }
  const oldIds = classify(oldLines)
  const newIds = classify(newLines)
  const oldCount = new Int32Array(ids.size)
  const newCount = new Int32Array(ids.size)
  for (const id of oldIds) oldCount[id]++
  for (const id of newIds) newCount[id]++
  return { old: oldIds, new: newIds, oldCount, newCount } satisfies LineClasses
}
