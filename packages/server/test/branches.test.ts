import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from './support/test-app.ts'

let t: TestApp
let first: string
let second: string
beforeAll(async () => {
  t = await createTestApp()
  await t.callJson('PUT', '/projects/br')
  first = (await t.callJson('PUT', '/files/br/a.txt', { body: '1' })).body.commit
  second = (await t.callJson('PUT', '/files/br/a.txt', { body: '2' })).body.commit
})
afterAll(async () => t?.close())

describe('branches routes', () => {
  it('lists the default branch', async () => {
    const res = await t.callJson('GET', '/projects/br/branches')
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ branches: [{ name: 'main', oid: second, default: true }] })
  })

  it('creates branches from the default branch or from a ref', async () => {
    const fromDefault = await t.callJson('POST', '/projects/br/branches', { json: { name: 'dev' } })
    expect(fromDefault.status).toBe(201)
    expect(fromDefault.body).toEqual({ name: 'dev', oid: second, default: false })
    const fromRef = await t.callJson('POST', '/projects/br/branches', {
      json: { name: 'feature/old', from: first },
    })
    expect(fromRef.body.oid).toBe(first)
    const fromBranch = await t.callJson('POST', '/projects/br/branches', {
      json: { name: 'copy', from: 'feature/old' },
    })
    expect(fromBranch.body.oid).toBe(first)
    const list = await t.callJson('GET', '/projects/br/branches')
    expect(list.body.branches.map((b: { name: string }) => b.name)).toEqual([
      'copy',
      'dev',
      'feature/old',
      'main',
    ])
  })

  it('refuses an existing name (409), an unknown ref (404), a bad name (400)', async () => {
    const exists = await t.callJson('POST', '/projects/br/branches', { json: { name: 'dev' } })
    expect(exists.status).toBe(409)
    expect(exists.body.error.code).toBe('BRANCH_EXISTS')
    const unknown = await t.callJson('POST', '/projects/br/branches', {
      json: { name: 'x', from: 'nope' },
    })
    expect(unknown.status).toBe(404)
    expect(unknown.body.error.code).toBe('REF_NOT_FOUND')
    const bad = await t.callJson('POST', '/projects/br/branches', { json: { name: 'a..b' } })
    expect(bad.status).toBe(400)
    expect(bad.body.error.code).toBe('INVALID_REF_NAME')
  })

  it('deletes a branch (with a slash too), but not the default branch', async () => {
    expect((await t.call('DELETE', '/projects/br/branches/feature/old')).status).toBe(204)
    expect((await t.call('DELETE', '/projects/br/branches/copy')).status).toBe(204)
    const gone = await t.callJson('DELETE', '/projects/br/branches/copy')
    expect(gone.status).toBe(404)
    expect(gone.body.error.code).toBe('BRANCH_NOT_FOUND')
    const main = await t.callJson('DELETE', '/projects/br/branches/main')
    expect(main.status).toBe(409)
    expect(main.body.error.code).toBe('DEFAULT_BRANCH')
    const list = await t.callJson('GET', '/projects/br/branches')
    expect(list.body.branches.map((b: { name: string }) => b.name)).toEqual(['dev', 'main'])
  })

  it('commits to a branch through the pending route', async () => {
    await t.call('PUT', '/pending/br/ada/b.txt', { body: 'b' })
    const res = await t.callJson('POST', '/projects/br/commits', {
      json: {
        userId: 'ada',
        message: 'on dev',
        author: { name: 'A', email: 'a@x' },
        branch: 'dev',
      },
    })
    expect(res.status).toBe(201)
    expect(res.body.branch).toBe('dev')
    const list = await t.callJson('GET', '/projects/br/branches')
    expect(list.body.branches).toContainEqual({ name: 'dev', oid: res.body.commit, default: false })
    expect(list.body.branches).toContainEqual({ name: 'main', oid: second, default: true })
  })
})
