import { writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { generateTypesSource } from './openapi-types.ts'

/** Writes `src/generated/api.ts` from the server's current routes. */
const target = fileURLToPath(new URL('../src/generated/api.ts', import.meta.url))
await writeFile(target, await generateTypesSource())
process.stdout.write(`wrote ${target}\n`)
