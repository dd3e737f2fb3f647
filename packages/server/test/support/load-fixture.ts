import { importPack } from '@gitpg/git-pg-fs'
import type { GitFixture } from './git-fixture.ts'
import type { TestApp } from './test-app.ts'

/**
 * Creates project `name` on the app and imports every object and ref of the fixture into it, as
 * a push of its whole history would.
 *
 * @example
 * const g = new GitFixture()
 * g.write('a.txt', 'a\n')
 * g.commit('base')
 * await loadFixture(t, 'demo', g) // GET /projects/demo/log now lists the commit
 */
export async function loadFixture(app: TestApp, name: string, fixture: GitFixture): Promise<void> {
  await app.callJson('PUT', `/projects/${name}`)
  const { rows } = await app.db.query('SELECT repo_id FROM repos WHERE name = $1', [name])
  await importPack({
    store: app.store,
    repoId: rows[0].repo_id,
    pack: fixture.pack(),
    refUpdates: fixture.refs(),
  })
}
