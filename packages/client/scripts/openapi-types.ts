import { Database, PostgresStore } from '@gitpg/git-pg-fs'
import { createApp, ERROR_STATUS } from '@gitpg/server'
import openapiTS, { astToString } from 'openapi-typescript'
import { format, resolveConfig } from 'prettier'

const KEY = 'openapi-document'

/**
 * The server's own OpenAPI document, as `GET /openapi.json` answers it. The app is built over a
 * database pool that never connects: describing the routes needs no data.
 */
export async function serverOpenApiDocument(): Promise<Record<string, unknown>> {
  const db = new Database({ connectionString: 'postgres://unused@127.0.0.1:1/unused' })
  try {
    const app = createApp({ store: new PostgresStore({ db }), db, config: { apiKey: KEY } })
    const res = await app.request('/openapi.json', { headers: { 'X-Internal-API-Key': KEY } })
    if (!res.ok) throw new Error(`GET /openapi.json answered ${res.status}`)
    return (await res.json()) as Record<string, unknown>
  } finally {
    await db.close()
  }
}

const HEADER = `/**
 * Generated from the server's OpenAPI document by \`pnpm --filter @gitpg/client generate\`
 * (packages/client/scripts/generate-types.ts). Do not edit: a test fails when it drifts.
 */
`

/**
 * The source of \`src/generated/api.ts\`: the \`paths\` and \`components\` types openapi-typescript
 * makes of the server's document, and the union of the error codes the server answers with.
 */
export async function generateTypesSource(): Promise<string> {
  const document = await serverOpenApiDocument()
  const types = astToString(await openapiTS(document as never))
  const codes = Object.keys(ERROR_STATUS)
    .sort()
    .map((code) => `  | '${code}'`)
    .join('\n')
  const source = `${HEADER}\n${types}\n/** Every error code the server answers with. */\nexport type ServerErrorCode =\n${codes}\n`
  const options = await resolveConfig(new URL('../src/generated/api.ts', import.meta.url))
  return format(source, { ...options, parser: 'typescript' })
}
