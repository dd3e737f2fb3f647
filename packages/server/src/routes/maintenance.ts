import { createRoute, z } from '@hono/zod-openapi'
import type { RouteModule } from '../context.ts'
import { openProject } from '../domain/projects.ts'
import {
  maintainProject,
  MaintenanceRunningError,
  pruneBefore,
  storageReport,
} from '../domain/maintenance.ts'
import { DEFAULT_PRUNE_EXPIRE } from '../domain/prune-age.ts'
import { errors, json, ProjectId, QueryFlag } from './schemas.ts'

const params = z.object({ projectId: ProjectId })

const MaintenanceReport = z
  .object({
    repoId: z.number().int(),
    gc: z
      .object({
        reachable: z.number().int(),
        unreachable: z.number().int(),
        deleted: z.number().int().openapi({ description: 'objects removed (dry run: would be)' }),
        kept: z.number().int().openapi({ description: 'unreachable, within the prune age' }),
        bytesFreed: z.number().int(),
        fromPacks: z
          .number()
          .int()
          .optional()
          .openapi({ description: 'of `deleted`, removed from packs (absent before packs)' }),
        rebased: z.number().int(),
        rescued: z.number().int(),
        ms: z.number(),
      })
      .openapi('GcReport'),
    repack: z
      .object({
        considered: z.number().int(),
        deltified: z.number().int(),
        rebased: z.number().int(),
        bytesBefore: z.number().int(),
        bytesAfter: z.number().int(),
        ms: z.number(),
      })
      .openapi('RepackReport'),
    archive: z
      .object({
        cold: z.number().int().openapi({ description: "reachable rows no ref's head shows" }),
        heldAsBases: z
          .number()
          .int()
          .openapi({ description: 'of those, kept as rows: rows that stay delta on them' }),
        rerooted: z.number().int().openapi({
          description:
            'hot rows stored again on a hot base, so the cold ones below could be packed',
        }),
        cheaperAsRows: z.number().int().openapi({
          description: 'of those, kept as rows: the versions of their path take less space so',
        }),
        archived: z.number().int().openapi({ description: 'moved from rows into packs' }),
        packsWritten: z.number().int(),
        packsMerged: z.number().int().openapi({ description: 'small packs merged' }),
        mergedInto: z.number().int().openapi({ description: 'packs the merges wrote' }),
        bytesBefore: z.number().int().openapi({ description: 'stored bytes of the archived rows' }),
        bytesAfter: z.number().int().openapi({ description: 'bytes of the packs written' }),
        ms: z.number(),
      })
      .optional()
      .openapi('ArchiveReport', {
        description: 'objects moved into packs (absent in reports of runs before packs)',
      }),
    ms: z.number(),
  })
  .openapi('MaintenanceReport')

const Storage = z
  .object({
    objects: z.number().int().openapi({ description: 'object rows' }),
    wholeObjects: z.number().int(),
    deltaObjects: z.number().int(),
    storedBytes: z.number().int().openapi({ description: 'bytes of the object rows as stored' }),
    packs: z.number().int().openapi({ description: 'cold packs (old versions moved out of rows)' }),
    packedObjects: z.number().int().openapi({ description: 'objects in cold packs' }),
    packedBytes: z
      .number()
      .int()
      .openapi({ description: 'bytes of the cold packs, their data and indexes' }),
    reclaimable: z
      .object({ objects: z.number().int(), bytes: z.number().int() })
      .optional()
      .openapi({ description: 'with `reclaimable=true`: what maintenance would remove now' }),
    lastMaintenance: z.object({ at: z.string(), report: MaintenanceReport }).nullable(),
  })
  .openapi('Storage')

const PruneAge = z.string().min(1).max(100).openapi({
  description: 'like git gc --prune: now, never, 2.weeks.ago, 14.days, 12h or a date',
  example: '2.weeks.ago',
})

const storage = createRoute({
  method: 'get',
  path: '/projects/{projectId}/storage',
  summary: "A project's objects, their stored bytes, what is reclaimable, the last maintenance",
  request: {
    params,
    query: z.object({
      reclaimable: QueryFlag.openapi({
        type: 'boolean',
        description: 'count what a maintenance run would remove now (a dry run; slower)',
      }),
      prune: PruneAge.optional(),
    }),
  },
  responses: { 200: json(Storage, 'the storage report'), ...errors(400, 404, 409) },
})

const run = createRoute({
  method: 'post',
  path: '/projects/{projectId}/maintenance',
  summary: 'Run maintenance now: collect garbage older than the prune age, repack (409 when busy)',
  request: {
    params,
    body: {
      required: false,
      content: {
        'application/json': {
          schema: z.object({ prune: PruneAge.optional(), dryRun: z.boolean().optional() }),
        },
      },
    },
  },
  responses: { 200: json(MaintenanceReport, 'what the run did'), ...errors(400, 404, 409) },
})

export const maintenanceRoutes: RouteModule = (app, { store, cache, maintenanceStore, config }) => {
  const settings = config.maintenance ?? {}
  const defaultPrune = settings.pruneExpire ?? DEFAULT_PRUNE_EXPIRE

  app.openapi(storage, async (c) => {
    const { projectId } = c.req.valid('param')
    const query = c.req.valid('query')
    const repo = await openProject({ store, cache, projectId })
    const report = await storageReport({
      store: maintenanceStore,
      repoId: repo.repoId,
      reclaimable: query.reclaimable ? pruneBefore(query.prune ?? defaultPrune) : undefined,
    })
    return c.json(report, 200)
  })

  app.openapi(run, async (c) => {
    const { projectId } = c.req.valid('param')
    const body = c.req.valid('json') ?? {}
    const prune = pruneBefore(body.prune ?? defaultPrune)
    const repo = await openProject({ store, cache, projectId })
    const report = await maintainProject({
      store: maintenanceStore,
      repoId: repo.repoId,
      prune,
      dryRun: body.dryRun ?? false,
      batchSize: settings.batchSize,
      pauseMs: settings.pauseMs,
      signal: c.req.raw.signal,
    })
    if (!report) throw new MaintenanceRunningError(projectId)
    return c.json(report, 200)
  })
}
