import type { BenchContext } from './context.ts'

interface LogPage {
  commits: { oid: string }[]
  next: string | null
}

/**
 * Every commit id `GET /projects/:id/log` answers with `params` (path, follow, ...), paging
 * through 1000 at a time.
 *
 * @example
 * const oids = await gitpgLog(ctx, { path: 'src/app.ts', follow: 'true' })
 */
export async function gitpgLog(
  ctx: BenchContext,
  params: Record<string, string> = {},
): Promise<string[]> {
  const oids: string[] = []
  let cursor: string | null = null
  do {
    const q = new URLSearchParams({ ...params, limit: '1000' })
    if (cursor) q.set('cursor', cursor)
    const page: LogPage = await ctx.gitpg!.api.json<LogPage>(
      'GET',
      `/projects/${ctx.project}/log?${q}`,
    )
    for (const c of page.commits) oids.push(c.oid)
    cursor = page.next
  } while (cursor)
  return oids
}
