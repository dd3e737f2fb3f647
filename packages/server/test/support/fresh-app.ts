import { createApp } from '../../src/app.ts'
import type { ApiApp } from '../../src/context.ts'
import { createStore } from '../../src/store/postgres/create-store.ts'
import { API_KEY, type TestApp } from './test-app.ts'

/** Another app over the test app's database: a second server, with caches of its own. */
export function freshApp(t: TestApp): { app: ApiApp } {
  return { app: createApp({ store: createStore(t.db), db: t.db, config: { apiKey: API_KEY } }) }
}
