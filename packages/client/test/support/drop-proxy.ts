import { createServer, connect, type Server, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'

/** A TCP proxy in front of a server whose connections a test can cut from the server side. */
export interface DropProxy {
  url: string
  /** connections accepted so far (refused ones included) */
  readonly connections: number
  /** client connections open now that asked for a `text/event-stream` */
  readonly streams: number
  /** destroys every open connection; while `refuse` is set, new ones are closed at once too */
  drop(options?: { refuse?: boolean }): void
  /** accepts connections again after `drop({ refuse: true })` */
  accept(): void
  close(): Promise<void>
}

/**
 * Listens on a free loopback port and pipes each connection to `target` (`http://host:port`).
 *
 * @example
 * const proxy = await startDropProxy(server.url)
 * proxy.drop() // every client connected through it sees its socket closed
 */
export async function startDropProxy(target: string): Promise<DropProxy> {
  const { hostname, port } = new URL(target)
  const open = new Set<Socket>()
  const streaming = new Set<Socket>()
  let refusing = false
  let connections = 0
  const server: Server = createServer((client) => {
    connections++
    if (refusing) return client.destroy()
    const upstream = connect({ host: hostname, port: Number(port) })
    open.add(client)
    client.on('close', () => {
      open.delete(client)
      streaming.delete(client)
    })
    client.on('data', (chunk: Buffer) => {
      if (chunk.includes('text/event-stream')) streaming.add(client)
    })
    for (const socket of [client, upstream]) socket.on('error', () => {})
    client.pipe(upstream)
    upstream.pipe(client)
    client.on('close', () => upstream.destroy())
    upstream.on('close', () => client.destroy())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port: local } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${local}`,
    get connections() {
      return connections
    },
    get streams() {
      return streaming.size
    },
    drop({ refuse = false } = {}) {
      refusing = refuse
      for (const socket of open) socket.destroy()
    },
    accept() {
      refusing = false
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy()
        server.close(() => resolve())
      }),
  }
}
