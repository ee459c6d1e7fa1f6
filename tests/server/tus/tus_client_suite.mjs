// Drives the real tus-js-client (and plain fetch, for what tus-js-client never sends)
// against hoistd's tus face. Run by tst_tus_clients with:
//   HOIST_URL=http://127.0.0.1:PORT HOIST_TOKEN=TOKEN HOIST_TTL=SECONDS node tus_client_suite.mjs
// Prints "ok NAME" or "FAIL NAME: why" per scenario; exits 1 when any failed.
import { createHash, randomBytes } from 'node:crypto'
import net from 'node:net'
import { Readable } from 'node:stream'
import { Upload } from 'tus-js-client'

const base = process.env.HOIST_URL
const token = process.env.HOIST_TOKEN
const ttlSeconds = Number(process.env.HOIST_TTL)
const auth = { Authorization: `Bearer ${token}` }
const tusHeaders = { ...auth, 'Tus-Resumable': '1.0.0' }
const MiB = 1024 * 1024
const chunkSize = 8 * MiB // hoistd's chunk (S3 part) for files below 80 GB

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex')
const digest = (algorithm, bytes) => createHash(algorithm).update(bytes).digest('base64')
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

function check(condition, message) {
  if (!condition) throw new Error(message)
}

// A loopback proxy that cuts the connection carrying the client's byte number `cutAt`
// (counted over all connections) once, forwarding everything before it.
async function cuttingProxy(target, cutAt) {
  let forwarded = 0
  let cut = false
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.hostname)
    client.on('data', (data) => {
      if (cut || forwarded + data.length < cutAt) {
        forwarded += data.length
        upstream.write(data)
        return
      }
      cut = true
      upstream.write(data.subarray(0, cutAt - forwarded), () => {
        upstream.destroy()
        client.destroy()
      })
      forwarded = cutAt
    })
    upstream.on('data', (data) => client.write(data))
    client.on('error', () => upstream.destroy())
    upstream.on('error', () => client.destroy())
    client.on('close', () => upstream.destroy())
    upstream.on('close', () => client.destroy())
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${server.address().port}`, server, wasCut: () => cut }
}

function tusUpload(data, options) {
  return new Promise((resolve, reject) => {
    const upload = new Upload(data, {
      headers: auth,
      retryDelays: null,
      ...options,
      onError: reject,
      onSuccess: () => resolve(upload),
    })
    if (options.onCreated) options.onCreated(upload)
    upload.start()
  })
}

// `data` uploaded with uploadLengthDeferred in PATCHes of at most `chunkSize` (a Buffer
// as it is; a stream when `streamed`, which tus-js-client cannot measure); the PATCHes
// that declared the length ({ offset, length }).
async function deferredUpload(data, chunkSize, filename, streamed = false) {
  const declared = []
  let created = false
  // An object stream of 1 MiB buffers: tus-js-client 4.3.1 waits forever for a byte
  // stream that ends exactly where a slice does (its StreamSource misses the 'end').
  const source = streamed
    ? Readable.from((function * () {
      for (let at = 0; at < data.length; at += MiB) yield data.subarray(at, at + MiB)
    })())
    : data
  await tusUpload(source, {
    endpoint: `${base}/tus/`,
    uploadLengthDeferred: true,
    chunkSize,
    metadata: { filename },
    onBeforeRequest(request) {
      if (request.getMethod() === 'POST') created = request.getHeader('Upload-Defer-Length') === '1'
      const length = request.getHeader('Upload-Length')
      if (request.getMethod() === 'PATCH' && length !== undefined) {
        declared.push({ offset: Number(request.getHeader('Upload-Offset')), length: Number(length) })
      }
    },
  })
  check(created, 'the upload was not created with Upload-Defer-Length: 1')
  return declared
}

async function fileNamed(name) {
  const answer = await fetch(`${base}/files`, { headers: auth })
  check(answer.status === 200, `GET /files answered ${answer.status}`)
  const { files } = await answer.json()
  return files.find((file) => file.fileName === name)
}

async function expectFile(name, data, mimeType) {
  const file = await fileNamed(name)
  check(file, `${name} is not in /files`)
  check(file.size === data.length, `${name} has ${file.size} bytes, not ${data.length}`)
  check(file.fingerprint === sha256(data), `${name} has SHA-256 ${file.fingerprint}`)
  if (mimeType) check(file.mimeType === mimeType, `${name} has type ${file.mimeType}`)
}

async function create(length, extra = {}) {
  const answer = await fetch(`${base}/tus/`, {
    method: 'POST', headers: { ...tusHeaders, 'Upload-Length': String(length), ...extra },
  })
  return answer
}

function patch(location, offset, bytes, extra = {}) {
  return fetch(location, {
    method: 'PATCH',
    headers: {
      ...tusHeaders, 'Upload-Offset': String(offset),
      'Content-Type': 'application/offset+octet-stream', ...extra,
    },
    body: bytes,
  })
}

const head = (location) => fetch(location, { method: 'HEAD', headers: tusHeaders })

const scenarios = {
  // One PATCH of the whole file, cut by the proxy inside the second chunk: the bytes that
  // arrived stay stored (a whole chunk and a tail), and the client resumes from HEAD.
  async interruptedAndResumed() {
    const data = randomBytes(20 * MiB)
    const proxy = await cuttingProxy(new URL(base), 11 * MiB)
    const patchOffsets = []
    const headOffsets = []
    try {
      await tusUpload(data, {
        endpoint: `${proxy.url}/tus/`,
        metadata: { filename: 'interrupted.bin' },
        retryDelays: [100, 300, 500, 1000, 1000],
        onBeforeRequest(request) {
          if (request.getMethod() === 'PATCH') patchOffsets.push(Number(request.getHeader('Upload-Offset')))
        },
        onAfterResponse(request, response) {
          if (request.getMethod() === 'HEAD') headOffsets.push(Number(response.getHeader('Upload-Offset')))
        },
      })
    } finally {
      proxy.server.close()
    }
    check(proxy.wasCut(), 'the proxy never cut the PATCH')
    check(headOffsets.length > 0, 'the client never asked HEAD where to resume')
    const resumed = patchOffsets.slice(1)
    check(resumed.some((offset) => offset > chunkSize && offset % chunkSize !== 0),
      `no PATCH resumed inside a chunk after a kept tail (PATCH offsets ${patchOffsets}, HEAD ${headOffsets})`)
    await expectFile('interrupted.bin', data)
  },

  async metadata() {
    const data = Buffer.from('plain words for a text file\n'.repeat(1000))
    await tusUpload(data, {
      endpoint: `${base}/tus/`, metadata: { filename: 'naïve café.txt', filetype: 'text/plain' },
    })
    await expectFile('naïve café.txt', data, 'text/plain')
    const bad = await create(10, { 'Upload-Metadata': 'filename not*base64' })
    check(bad.status === 400, `invalid base64 metadata answered ${bad.status}, not 400`)
  },

  async termination() {
    const data = randomBytes(4 * MiB)
    let location
    await new Promise((resolve, reject) => {
      const upload = new Upload(data, {
        endpoint: `${base}/tus/`, headers: auth, chunkSize: MiB, retryDelays: null,
        metadata: { filename: 'terminated.bin' },
        onError: reject,
        onSuccess: () => reject(new Error('the upload finished instead of being terminated')),
        onChunkComplete() {
          location = upload.url
          upload.abort(true).then(resolve, reject)
        },
      })
      upload.start()
    })
    const after = await head(location)
    check(after.status === 404, `HEAD after termination answered ${after.status}, not 404`)
    check(!(await fileNamed('terminated.bin')), 'a terminated upload became a file')
  },

  async checksum() {
    const data = randomBytes(64 * 1024)
    const created = await create(data.length, { 'Upload-Metadata': 'filename Y2hlY2tlZC5iaW4=' })
    check(created.status === 201, `creation answered ${created.status}`)
    const location = created.headers.get('location')
    const first = data.subarray(0, 1000)
    const wrong = await patch(location, 0, first, { 'Upload-Checksum': `sha1 ${digest('sha1', data)}` })
    check(wrong.status === 460, `a wrong sha1 answered ${wrong.status}, not 460`)
    check((await head(location)).headers.get('upload-offset') === '0', 'bytes of a wrong checksum were kept')
    const md5 = await patch(location, 0, first, { 'Upload-Checksum': `md5 ${digest('md5', first)}` })
    check(md5.status === 204 && md5.headers.get('upload-offset') === '1000', `md5 PATCH answered ${md5.status} at ${md5.headers.get('upload-offset')}`)
    const rest = data.subarray(1000)
    const bad256 = await patch(location, 1000, rest, { 'Upload-Checksum': `sha256 ${digest('sha256', first)}` })
    check(bad256.status === 460, `a wrong sha256 answered ${bad256.status}, not 460`)
    const good = await patch(location, 1000, rest, { 'Upload-Checksum': `sha256 ${digest('sha256', rest)}` })
    check(good.status === 204, `sha256 PATCH answered ${good.status}`)
    await expectFile('checked.bin', data)
  },

  // parallelUploads: three partial uploads at once, then a final one that concatenates
  // them: the file in /files is the whole, with the whole's SHA-256, and the partials
  // are gone (hoistd consumes them).
  async parallelUploads() {
    const data = randomBytes(21 * MiB + 12345)
    const partials = []
    await tusUpload(data, {
      endpoint: `${base}/tus/`,
      parallelUploads: 3,
      metadata: { filename: 'parallel.bin' },
      onAfterResponse(request, response) {
        if (request.getMethod() === 'POST' && request.getHeader('Upload-Concat') === 'partial') {
          partials.push(response.getHeader('Location'))
        }
      },
    })
    check(partials.length === 3, `${partials.length} partial uploads were created, not 3`)
    await expectFile('parallel.bin', data)
    for (const partial of partials) {
      const answer = await head(partial)
      check(answer.status === 404, `HEAD of a consumed partial upload answered ${answer.status}`)
    }
  },

  // uploadLengthDeferred with a stream of unknown length: created with
  // Upload-Defer-Length: 1, the length sent with the PATCH of the last slice.
  async deferredStream() {
    const data = randomBytes(20 * MiB + 12345)
    const declared = await deferredUpload(data, 6 * MiB, 'deferred.bin', true)
    check(declared.length === 1 && declared[0].length === data.length,
      `Upload-Length was sent ${declared.length} times (${JSON.stringify(declared)})`)
    await expectFile('deferred.bin', data)
  },

  // A Buffer with uploadLengthDeferred: the length comes with the last slice, and every
  // PATCH before it ends inside a chunk (kept tails; on S3 beside the multipart upload).
  async deferredBuffer() {
    const data = randomBytes(12 * MiB + 1)
    const declared = await deferredUpload(data, 5 * MiB, 'deferred-buffer.bin')
    check(declared.length === 1 && declared[0].offset === 10 * MiB && declared[0].length === data.length,
      `the length was not declared with the last slice (${JSON.stringify(declared)})`)
    await expectFile('deferred-buffer.bin', data)
  },

  // Upload-Expires on every answer; past it, the upload is gone (410 before the sweep).
  async expiry() {
    const created = await create(100, { 'Upload-Metadata': 'filename ZXhwaXJpbmcuYmlu' })
    check(created.status === 201, `creation answered ${created.status}`)
    const location = created.headers.get('location')
    const patched = await patch(location, 0, randomBytes(10))
    check(patched.status === 204, `PATCH answered ${patched.status}`)
    for (const answer of [created, patched, await head(location)]) {
      const expires = Date.parse(answer.headers.get('upload-expires'))
      check(Math.abs(expires - (Date.now() + ttlSeconds * 1000)) < 5000,
        `Upload-Expires '${answer.headers.get('upload-expires')}' is not about ${ttlSeconds} s away`)
    }
    await sleep(ttlSeconds * 1000 + 1500)
    const gone = await head(location)
    check(gone.status === 410, `HEAD of an expired upload answered ${gone.status}, not 410`)
    const late = await patch(location, 10, randomBytes(10))
    check(late.status === 410, `PATCH of an expired upload answered ${late.status}, not 410`)
  },
}

let failed = 0
const only = process.argv.slice(2)
for (const [name, run] of Object.entries(scenarios)) {
  if (only.length > 0 && !only.includes(name)) continue
  try {
    await run()
    console.log(`ok ${name}`)
  } catch (error) {
    failed += 1
    console.log(`FAIL ${name}: ${error && error.stack ? error.stack : error}`)
  }
}
process.exit(failed > 0 ? 1 : 0)
