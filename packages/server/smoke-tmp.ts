import { startServer } from '@gitpg/server'
const t0 = Date.now()
const s = await startServer({ env: { PORT: '0', GITPG_LOG_LEVEL: 'silent', GITPG_DATA_DIR: '/tmp/gd-smoke/data' }, cwd: '/tmp/gd-smoke' })
console.log('started', Date.now() - t0)
console.log((await fetch(s.url + '/health')).status)
await s.close()
console.log('closed', Date.now() - t0)
