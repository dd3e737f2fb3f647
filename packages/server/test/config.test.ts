import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig, parseDuration, parseSize } from '../src/config.ts'
import { resolveApiKey } from '../src/api-key.ts'
import { runCli } from './support/run-cli.ts'

const MAIN = new URL('../src/cli/main.ts', import.meta.url).pathname

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    expect(loadConfig({ env: {}, cwd: '/srv/app' })).toEqual({
      databaseUrl: null,
      dataDir: '/srv/app/.gitpg',
      port: 3001,
      host: '127.0.0.1',
      apiKey: null,
      githubToken: null,
      githubUrl: 'https://github.com',
      bodyLimit: 50 * 1024 * 1024,
      logLevel: 'info',
      feedRetentionSeconds: 7 * 86400,
      cacheBytes: 192 * 1024 * 1024,
      heapGrowthPercent: 20,
      backendFlushAfter: '256kB',
      diffMaxLines: 100_000,
      diffMaxSteps: 20_000_000,
      maxObjectSize: 100 * 1024 * 1024,
      maxHaves: 100_000,
      patchMaxBytes: 64 * 1024 * 1024,
      renameLimit: 1000,
      renameMaxBytes: 256 * 1024 * 1024,
      renameMaxSteps: 200_000_000,
      batchMaxBytes: 32 * 1024 * 1024,
      batchMaxPaths: 10_000,
      listMaxFiles: 200_000,
      maxInflightBytes: 128 * 1024 * 1024,
      corsOrigins: [],
      keyCacheTtlSeconds: 10,
      mcpMaxChars: 40_000,
      mcpMaxBatch: 10,
      grepTimeoutSeconds: 10,
      grepMaxLimit: 1000,
      grepMaxBytes: 16 * 1024 * 1024,
      blameLimits: {
        maxCommits: 20_000,
        maxBytes: 8 * 1024 * 1024,
        maxLines: 100_000,
        maxSteps: 100_000_000,
      },
      pruneExpire: '2.weeks.ago',
      maintenanceIntervalSeconds: 3600,
      maintenancePauseMs: 20,
      maintenanceBatch: 1000,
    })
  })

  it('reads every variable', () => {
    const config = loadConfig({
      env: {
        DATABASE_URL: 'postgresql://u:p@db:5432/gitpg',
        GITPG_DATA_DIR: 'data',
        PORT: '8080',
        HOST: '0.0.0.0',
        GITPG_API_KEY: 'k'.repeat(32),
        GITHUB_TOKEN: 'ghp_x',
        GITHUB_URL: 'https://GHE.example.com:8443/',
        GITPG_BODY_LIMIT: '10mb',
        GITPG_LOG_LEVEL: 'warn',
        GITPG_FEED_RETENTION: '12h',
        GITPG_CACHE_MB: '64',
        GITPG_HEAP_GROWTH: '0',
        GITPG_PG_FLUSH_AFTER: '1MB',
        GITPG_DIFF_MAX_LINES: '5000',
        GITPG_DIFF_MAX_STEPS: '1_000_000',
        GITPG_MAX_OBJECT_SIZE: '500mb',
        GITPG_MAX_HAVES: '5000',
        GITPG_PATCH_MAX_BYTES: '8mb',
        GITPG_RENAME_LIMIT: '400',
        GITPG_RENAME_MAX_BYTES: '16mb',
        GITPG_RENAME_MAX_STEPS: '5000',
        GITPG_BATCH_MAX_BYTES: '8mb',
        GITPG_BATCH_MAX_PATHS: '500',
        GITPG_LIST_MAX_FILES: '1000',
        GITPG_MAX_INFLIGHT_BYTES: '1gb',
        GITPG_CORS_ORIGINS: 'https://app.example.com, http://localhost:5173',
        GITPG_KEY_CACHE_TTL: '30s',
        GITPG_GREP_TIMEOUT: '2m',
        GITPG_GREP_MAX_LIMIT: '50',
        GITPG_GREP_MAX_BYTES: '1mb',
        GITPG_BLAME_MAX_COMMITS: '500',
        GITPG_BLAME_MAX_BYTES: '1mb',
        GITPG_BLAME_MAX_LINES: '5000',
        GITPG_BLAME_MAX_STEPS: '1_000_000',
        GITPG_PRUNE_EXPIRE: '3.days.ago',
        GITPG_MAINTENANCE_INTERVAL: 'off',
        GITPG_MAINTENANCE_PAUSE: '0',
        GITPG_MAINTENANCE_BATCH: '250',
      },
      cwd: '/srv',
    })
    expect(config).toMatchObject({
      databaseUrl: 'postgresql://u:p@db:5432/gitpg',
      dataDir: '/srv/data',
      port: 8080,
      host: '0.0.0.0',
      apiKey: 'k'.repeat(32),
      githubToken: 'ghp_x',
      githubUrl: 'https://ghe.example.com:8443',
      bodyLimit: 10 * 1024 * 1024,
      logLevel: 'warn',
      feedRetentionSeconds: 12 * 3600,
      cacheBytes: 64 * 1024 * 1024,
      heapGrowthPercent: 0,
      backendFlushAfter: '1MB',
      diffMaxLines: 5000,
      diffMaxSteps: 1_000_000,
      maxObjectSize: 500 * 1024 * 1024,
      maxHaves: 5000,
      patchMaxBytes: 8 * 1024 * 1024,
      renameLimit: 400,
      renameMaxBytes: 16 * 1024 * 1024,
      renameMaxSteps: 5000,
      batchMaxBytes: 8 * 1024 * 1024,
      batchMaxPaths: 500,
      listMaxFiles: 1000,
      maxInflightBytes: 1024 ** 3,
      corsOrigins: ['https://app.example.com', 'http://localhost:5173'],
      keyCacheTtlSeconds: 30,
      grepTimeoutSeconds: 120,
      grepMaxLimit: 50,
      grepMaxBytes: 1024 * 1024,
      blameLimits: {
        maxCommits: 500,
        maxBytes: 1024 * 1024,
        maxLines: 5000,
        maxSteps: 1_000_000,
      },
      pruneExpire: '3.days.ago',
      maintenanceIntervalSeconds: 0,
      maintenancePauseMs: 0,
      maintenanceBatch: 250,
    })
  })

  it.each([
    ['GITPG_PRUNE_EXPIRE', 'later', /GITPG_PRUNE_EXPIRE/],
    ['GITPG_MAINTENANCE_INTERVAL', 'hourly', /GITPG_MAINTENANCE_INTERVAL/],
    ['GITPG_MAINTENANCE_PAUSE', '-5', /GITPG_MAINTENANCE_PAUSE/],
    ['GITPG_MAINTENANCE_BATCH', '0', /GITPG_MAINTENANCE_BATCH/],
    ['PORT', 'eighty', /PORT/],
    ['PORT', '70000', /PORT/],
    ['PORT', '-1', /PORT/],
    ['DATABASE_URL', 'not a url', /DATABASE_URL/],
    ['DATABASE_URL', 'mysql://x@y/z', /DATABASE_URL/],
    ['GITPG_BODY_LIMIT', 'lots', /GITPG_BODY_LIMIT/],
    ['GITPG_BODY_LIMIT', '0', /GITPG_BODY_LIMIT/],
    ['GITPG_API_KEY', 'short', /GITPG_API_KEY/],
    ['GITPG_LOG_LEVEL', 'loud', /GITPG_LOG_LEVEL/],
    ['HOST', 'a b', /HOST/],
    ['GITPG_FEED_RETENTION', 'forever', /GITPG_FEED_RETENTION/],
    ['GITPG_CORS_ORIGINS', 'https://a.example.com/app', /GITPG_CORS_ORIGINS/],
    ['GITPG_CORS_ORIGINS', 'app.example.com', /GITPG_CORS_ORIGINS/],
    ['GITPG_KEY_CACHE_TTL', 'briefly', /GITPG_KEY_CACHE_TTL/],
    ['GITPG_FEED_RETENTION', '0', /GITPG_FEED_RETENTION/],
    ['GITPG_CACHE_MB', '1.5gb', /GITPG_CACHE_MB/],
    ['GITPG_CACHE_MB', '-1', /GITPG_CACHE_MB/],
    ['GITPG_HEAP_GROWTH', '50%', /GITPG_HEAP_GROWTH/],
    ['GITPG_HEAP_GROWTH', '5000', /GITPG_HEAP_GROWTH/],
    ['GITPG_PG_FLUSH_AFTER', '1 gigabyte', /GITPG_PG_FLUSH_AFTER/],
    ['GITPG_MAX_OBJECT_SIZE', 'huge', /GITPG_MAX_OBJECT_SIZE/],
    ['GITPG_MAX_OBJECT_SIZE', '2gb', /GITPG_MAX_OBJECT_SIZE/],
    ['GITPG_MAX_HAVES', '0', /GITPG_MAX_HAVES/],
    ['GITPG_MAX_HAVES', '1e9', /GITPG_MAX_HAVES/],
    ['GITPG_PG_FLUSH_AFTER', "256kB'; DROP TABLE repos; --", /GITPG_PG_FLUSH_AFTER/],
    ['GITHUB_URL', 'ghe.example.com', /GITHUB_URL/],
    ['GITHUB_URL', 'ssh://ghe.example.com', /GITHUB_URL/],
    ['GITHUB_URL', 'https://ghe.example.com/api/v3', /GITHUB_URL/],
    ['GITHUB_URL', 'https://user:secret@ghe.example.com', /GITHUB_URL/],
    ['GITPG_DIFF_MAX_LINES', '0', /GITPG_DIFF_MAX_LINES/],
    ['GITPG_DIFF_MAX_LINES', '1e5', /GITPG_DIFF_MAX_LINES/],
    ['GITPG_DIFF_MAX_STEPS', '-5', /GITPG_DIFF_MAX_STEPS/],
    ['GITPG_DIFF_MAX_STEPS', '99999999999999999999', /GITPG_DIFF_MAX_STEPS/],
    ['GITPG_PATCH_MAX_BYTES', '0', /GITPG_PATCH_MAX_BYTES/],
    ['GITPG_PATCH_MAX_BYTES', 'huge', /GITPG_PATCH_MAX_BYTES/],
    ['GITPG_RENAME_LIMIT', '0', /GITPG_RENAME_LIMIT/],
    ['GITPG_RENAME_LIMIT', 'many', /GITPG_RENAME_LIMIT/],
    ['GITPG_RENAME_MAX_BYTES', 'lots', /GITPG_RENAME_MAX_BYTES/],
    ['GITPG_RENAME_MAX_STEPS', 'many', /GITPG_RENAME_MAX_STEPS/],
    ['GITPG_BATCH_MAX_BYTES', 'big', /GITPG_BATCH_MAX_BYTES/],
    ['GITPG_BATCH_MAX_BYTES', '0', /GITPG_BATCH_MAX_BYTES/],
    ['GITPG_BATCH_MAX_PATHS', '0', /GITPG_BATCH_MAX_PATHS/],
    ['GITPG_BATCH_MAX_PATHS', '1e3', /GITPG_BATCH_MAX_PATHS/],
    ['GITPG_LIST_MAX_FILES', '-5', /GITPG_LIST_MAX_FILES/],
    ['GITPG_MAX_INFLIGHT_BYTES', 'lots', /GITPG_MAX_INFLIGHT_BYTES/],
    ['GITPG_GREP_TIMEOUT', 'never', /GITPG_GREP_TIMEOUT/],
    ['GITPG_GREP_TIMEOUT', '0', /GITPG_GREP_TIMEOUT/],
    ['GITPG_GREP_MAX_LIMIT', '0', /GITPG_GREP_MAX_LIMIT/],
    ['GITPG_GREP_MAX_BYTES', 'big', /GITPG_GREP_MAX_BYTES/],
    ['GITPG_BLAME_MAX_COMMITS', '0', /GITPG_BLAME_MAX_COMMITS/],
    ['GITPG_BLAME_MAX_BYTES', 'big', /GITPG_BLAME_MAX_BYTES/],
    ['GITPG_BLAME_MAX_LINES', '-1', /GITPG_BLAME_MAX_LINES/],
    ['GITPG_BLAME_MAX_STEPS', '1e6', /GITPG_BLAME_MAX_STEPS/],
    ['GITPG_MAX_INFLIGHT_BYTES', '10mb', /GITPG_MAX_INFLIGHT_BYTES.*GITPG_BODY_LIMIT/],
  ])('%s=%s is a ConfigError naming the variable', (name, value, pattern) => {
    let error: unknown
    try {
      loadConfig({ env: { [name]: value }, cwd: '/' })
    } catch (err) {
      error = err
    }
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as Error).message).toMatch(pattern)
    expect((error as Error).message).not.toContain('\n')
  })

  it('never echoes credentials given in GITHUB_URL', () => {
    expect(() =>
      loadConfig({ env: { GITHUB_URL: 'https://user:hunter2@ghe.example.com' }, cwd: '/' }),
    ).toThrow(/^(?!.*hunter2)/)
  })

  it('raises the default in-flight budget with a raised body limit, so one request fits', () => {
    const config = loadConfig({ env: { GITPG_BODY_LIMIT: '1gb' }, cwd: '/' })
    expect(config.maxInflightBytes).toBe(1024 ** 3)
    expect(loadConfig({ env: {}, cwd: '/' }).maxInflightBytes).toBe(128 * 1024 ** 2)
  })

  it("keeps the database's own writeback setting when GITPG_PG_FLUSH_AFTER=server", () => {
    const config = loadConfig({ env: { GITPG_PG_FLUSH_AFTER: 'server' }, cwd: '/' })
    expect(config.backendFlushAfter).toBeNull()
  })

  it('parses sizes', () => {
    expect(parseSize('1024')).toBe(1024)
    expect(parseSize('512KB')).toBe(512 * 1024)
    expect(parseSize('1.5gb')).toBe(1.5 * 1024 ** 3)
    expect(parseSize('-3')).toBeNull()
  })

  it('parses durations', () => {
    expect(parseDuration('3600')).toBe(3600)
    expect(parseDuration('90s')).toBe(90)
    expect(parseDuration('30m')).toBe(1800)
    expect(parseDuration('1.5h')).toBe(5400)
    expect(parseDuration('7d')).toBe(604800)
    expect(parseDuration('7 weeks')).toBeNull()
  })
})

describe('resolveApiKey', () => {
  it('generates a key once, then reads it back; a configured key wins', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gitpg-key-'))
    try {
      const first = await resolveApiKey({ configured: null, dataDir: join(dir, 'data') })
      expect(first.generated).toBe(true)
      expect(first.key).toMatch(/^[A-Za-z0-9_-]{43}$/)
      const second = await resolveApiKey({ configured: null, dataDir: join(dir, 'data') })
      expect(second).toEqual({ key: first.key, generated: false, file: first.file })
      const configured = await resolveApiKey({
        configured: 'x'.repeat(20),
        dataDir: join(dir, 'data'),
      })
      expect(configured).toEqual({ key: 'x'.repeat(20), generated: false, file: null })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('gitpg CLI', () => {
  const cli = (args: string[], env: Record<string, string> = {}) => runCli({ args, env })

  it('runs as a program: --help lists the commands', () => {
    const help = spawnSync(process.execPath, ['--import', 'tsx', MAIN, '--help'], {
      encoding: 'utf8',
      timeout: 30_000,
    })
    expect(help.status).toBe(0)
    expect(help.stdout).toMatch(/^Usage: gitpg <command>/)
  })

  it('--help lists the commands; each command has --help', async () => {
    const help = await cli(['--help'])
    expect(help.code).toBe(0)
    for (const name of ['serve', 'import', 'export', 'pull', 'push']) {
      expect(help.stdout).toContain(name)
      const own = await cli([name, '--help'])
      expect(own.code, name).toBe(0)
      expect(own.stdout).toMatch(new RegExp(`Usage: gitpg ${name}`))
    }
  })

  it('fails with one line and a non-zero exit', async () => {
    const unknown = await cli(['frobnicate'])
    expect(unknown.code).not.toBe(0)
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1)
    const missing = await cli(['export', 'no-such-project', '/tmp/x'])
    expect(missing.code).toBe(1)
    expect(missing.stderr.trim()).toBe('gitpg export: project no-such-project does not exist')
    const badPort = await cli(['serve'], { PORT: 'nope' })
    expect(badPort.code).toBe(1)
    expect(badPort.stderr.trim().split('\n')).toEqual([
      'gitpg serve: PORT must be a number from 0 to 65535, not "nope"',
    ])
  })
})
