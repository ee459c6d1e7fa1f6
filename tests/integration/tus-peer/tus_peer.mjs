// A real tus 1.0.0 server for hoist's tus client tests: @tus/server with its file
// store, as its README sets it up, on a loopback port of the system's choosing.
//
//   node tus_peer.mjs DIR     prints "listening on http://127.0.0.1:PORT/files/" when ready
import { Server } from '@tus/server'
import { FileStore } from '@tus/file-store'

const directory = process.argv[2]
if (!directory) {
  console.error('usage: node tus_peer.mjs DIR')
  process.exit(2)
}
const server = new Server({ path: '/files', datastore: new FileStore({ directory }) })
const listener = server.listen({ host: '127.0.0.1', port: 0 }, () => {
  console.log(`listening on http://127.0.0.1:${listener.address().port}/files/`)
})
process.on('SIGTERM', () => listener.close(() => process.exit(0)))
