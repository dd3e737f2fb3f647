import { startServer, type RunningServer } from '../../server.ts'
import type { Command } from '../commands.ts'

export const serveCommand: Command = {
  name: 'serve',
  summary: 'start the HTTP server',
  usage: `Usage: gitpg serve

Starts the HTTP API. Configuration comes from the environment:
  DATABASE_URL      PostgreSQL connection string (default: an embedded PostgreSQL in GITPG_DATA_DIR)
  GITPG_DATA_DIR    embedded database and generated secrets (default: ./.gitpg)
  PORT, HOST        listen address (default: 3001, 127.0.0.1)
  GITPG_API_KEY     key every request must carry (default: generated on first start)
  GITHUB_TOKEN      default token for sync with GitHub, sent to GITHUB_URL's host only
  GITHUB_URL        GitHub or GitHub Enterprise base URL (default: https://github.com)
  GITPG_BODY_LIMIT  largest request body, e.g. 50mb (default: 50mb)
  GITPG_LOG_LEVEL   fatal, error, warn, info, debug, trace or silent (default: info)
  GITPG_FEED_RETENTION  how long change-feed events are kept, e.g. 12h or 7d (default: 7d)
  GITPG_CACHE_MB    budget of every cache together in megabytes, 0 disables them (default: 192)
  GITPG_CORS_ORIGINS   origins browsers may call from, comma-separated (default: none, CORS off)
  GITPG_KEY_CACHE_TTL  how long a scoped key is cached; a revocation's delay (default: 10s)
  GITPG_MCP_MAX_CHARS  characters one MCP tool result may hold (default: 40000)
  GITPG_MCP_MAX_BATCH  JSON-RPC messages one MCP request may carry (default: 10)
Limits on what one request may cost (see the README's "Hostile input and limits"):
  GITPG_MAX_OBJECT_SIZE     largest object a push, import or pull may bring (default: 100mb)
  GITPG_MAX_HAVES           have lines of one fetch that are considered (default: 100000)
  GITPG_BATCH_MAX_BYTES     content one batch read answers with (default: 32mb)
  GITPG_BATCH_MAX_PATHS     paths one batch read may name (default: 10000)
  GITPG_LIST_MAX_FILES      files one listing may hold (default: 200000)
  GITPG_MAX_INFLIGHT_BYTES  request bodies held in memory at once (default: 128mb)
  GITPG_DIFF_MAX_LINES      lines of a file a patch diffs line by line (default: 100000)
  GITPG_DIFF_MAX_STEPS      work budget of one file's line diff (default: 20000000)
  GITPG_PATCH_MAX_BYTES     largest patch answered (default: 64mb)
  GITPG_RENAME_MAX_STEPS    work of one rename detection's similarity matrix (default: 200000000)
Stops on SIGTERM or SIGINT after in-flight requests finish.`,
  async run(args) {
    if (args.length > 0) throw new Error(`serve takes no arguments (got ${args[0]})`)
    // signal handlers before anything starts: a supervisor may send SIGTERM as soon as it sees
    // "listening", and the server must then still close (giving its database back)
    let signalled!: (signal: string) => void
    const stopping = new Promise<string>((resolve) => (signalled = resolve))
    const onTerm = () => signalled('SIGTERM')
    const onInt = () => signalled('SIGINT')
    process.once('SIGTERM', onTerm)
    process.once('SIGINT', onInt)
    let server: RunningServer
    try {
      server = await startServer({ env: process.env, cwd: process.env.INIT_CWD ?? process.cwd() })
    } catch (err) {
      process.off('SIGTERM', onTerm)
      process.off('SIGINT', onInt)
      throw err
    }
    const signal = await stopping
    process.stdout.write(`gitpg: ${signal}, stopping\n`)
    await server.close().catch(() => {})
    return 0
  },
}
