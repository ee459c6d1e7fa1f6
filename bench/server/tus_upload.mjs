// Uploads one file to a tus server with tus-js-client in 8 MiB chunks (the size
// hoistd's sessions use) and prints one JSON line with the timing, like upload_driver.
// The file is given as a ReadStream with a path, so the client reads each chunk from
// disk instead of buffering the whole file. TUS_CHUNK_SIZE=Infinity sends the whole
// file as one PATCH (tus-js-client's default; bench/wan compares with it).
//
//   [TUS_TOKEN=T] [TUS_PARALLEL=N] node tus_upload.mjs ENDPOINT FILE
//
// TUS_TOKEN sends `Authorization: Bearer T` (hoistd); TUS_PARALLEL uses tus-js-client's
// parallelUploads (concatenation) and adds the final POST's time, finalSeconds.
import { createReadStream, statSync } from 'node:fs'
import { Upload } from 'tus-js-client'

const [endpoint, file] = process.argv.slice(2)
if (!endpoint || !file) {
  console.error('usage: node tus_upload.mjs ENDPOINT FILE')
  process.exit(2)
}
const size = statSync(file).size
const token = process.env.TUS_TOKEN
const parallel = Number(process.env.TUS_PARALLEL || 1)
let finalSent = null
let finalSeconds = 0
const began = process.hrtime.bigint()
const upload = new Upload(createReadStream(file), {
  endpoint,
  chunkSize: Number(process.env.TUS_CHUNK_SIZE || 8 * 1024 * 1024),
  headers: token ? { Authorization: `Bearer ${token}` } : {},
  parallelUploads: parallel,
  onBeforeRequest(request) {
    if (String(request.getHeader('Upload-Concat') || '').startsWith('final;')) finalSent = process.hrtime.bigint()
  },
  onAfterResponse(request) {
    if (finalSent && String(request.getHeader('Upload-Concat') || '').startsWith('final;')) {
      finalSeconds = Number(process.hrtime.bigint() - finalSent) / 1e9
    }
  },
  // parallelUploads reads the size from the file itself and refuses uploadSize.
  ...(parallel > 1 ? {} : { uploadSize: size }),
  metadata: { filename: 'bench.bin' },
  // A failure must show as an error, not be hidden by a retry that slows the figure.
  retryDelays: null,
  onError(error) {
    console.log(JSON.stringify({ uploads: 1, bytes: size, errors: 1, firstError: String(error) }))
    process.exit(1)
  },
  onSuccess() {
    const seconds = Number(process.hrtime.bigint() - began) / 1e9
    console.log(JSON.stringify({
      uploads: 1, bytes: size, seconds, mibPerSecond: size / 1048576 / seconds, errors: 0, firstError: '',
      ...(parallel > 1 ? { finalSeconds } : {}),
    }))
  },
})
upload.start()
