// The Node.js tus reference server hoistd is compared with: @tus/server with its
// file store, as its README sets it up. It neither hashes nor flushes to disk.
//
//   node tus_server.mjs DIR     prints "listening on http://127.0.0.1:PORT" when ready
import { Server } from '@tus/server'
import { FileStore } from '@tus/file-store'

const directory = process.argv[2]
if (!directory) {
  console.error('usage: node tus_server.mjs DIR')
  process.exit(2)
}
const server = new Server({ path: '/files', datastore: new FileStore({ directory }) })
const listener = server.listen({ host: '127.0.0.1', port: 0 }, () => {
  console.log(`listening on http://127.0.0.1:${listener.address().port}`)
})
process.on('SIGTERM', () => listener.close(() => process.exit(0)))
