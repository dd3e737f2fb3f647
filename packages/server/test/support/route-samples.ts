import type { TestApp } from './test-app.ts'

/** A route of the API as `/openapi.json` lists it: `GET /projects/{projectId}/log`. */
export interface ApiRoute {
  method: string
  template: string
}

/** Every route `/openapi.json` describes. */
export async function openapiRoutes(t: TestApp): Promise<ApiRoute[]> {
  const doc = (await t.callJson('GET', '/openapi.json')).body as {
    paths: Record<string, Record<string, unknown>>
  }
  return Object.entries(doc.paths).flatMap(([template, ops]) =>
    Object.keys(ops).map((method) => ({ method: method.toUpperCase(), template })),
  )
}

const SAMPLES: Record<string, string> = {
  projectId: 'p1',
  userId: 'ada',
  path: 'docs/a.md',
  name: 'feature',
  oid: '0'.repeat(40),
  id: 'key_0000000000000000',
}

/** A concrete path for a route template, on `project`; every other parameter gets a sample. */
export function samplePath(template: string, project = 'p1'): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (name === 'projectId') return project
    const sample = SAMPLES[name]
    if (sample === undefined) throw new Error(`no sample value for {${name}} in ${template}`)
    return sample
  })
}
