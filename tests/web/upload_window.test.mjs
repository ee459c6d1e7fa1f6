// The web app's uploader against a model of the parallel chunks contract
// (docs/protocol.md "Parallel chunks"), in Node without a browser: a granted window
// keeps several chunk PUTs in flight and never one outside the window or already
// stored; 409s and a 503 are survived; without the field it stays sequential. The
// model answers as the contract says so that this runs before hoistd grants windows;
// the browser test (web_app.test.mjs) covers the real server.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';

const store = new Map();
globalThis.sessionStorage = {
  getItem: (key) => store.get(key) ?? null,
  setItem: (key, value) => store.set(key, String(value)),
  removeItem: (key) => store.delete(key),
  key: (i) => [...store.keys()][i] ?? null,
  get length() {
    return store.size;
  },
};

const src = pathToFileURL(path.join(process.env.HOIST_WEB_DIR, 'src') + path.sep);
const { UploadTask } = await import(new URL('upload_task.js', src));
const { ApiError } = await import(new URL('api.js', src));

const CHUNK = 1024;

// One session of the native protocol with the extension, as a server would keep it.
class WindowedServer {
  constructor(size, granted, faults = {}) {
    this.size = size;
    this.granted = granted; // undefined: a server without the extension
    this.bytes = Buffer.alloc(size);
    this.prefix = 0;
    this.stored = new Set();
    this.inFlight = 0;
    this.mostInFlight = 0;
    this.puts = 0;
    this.faults = faults; // { unavailableAt: put number answered 503, firstChunkMs: its delay }
    this.putsBeforeFirstAnswer = 0;
  }

  get window() {
    return this.granted ?? 1;
  }

  #truth() {
    const body = { uploadedBytes: this.prefix };
    if (this.granted !== undefined) body.storedChunks = [...this.stored].sort((a, b) => a - b);
    return body;
  }

  dedup() {
    return Promise.resolve({ status: 200, body: { exists: false } });
  }

  init(file, fingerprint, parallelChunks) {
    assert.equal(parallelChunks, 8, 'the app asks for a window of twice its 4 chunks in flight');
    const body = { sessionId: 's1', uploadedBytes: 0, chunkSize: CHUNK };
    if (this.granted !== undefined) body.parallelChunks = this.granted;
    return Promise.resolve({ status: 201, body });
  }

  session() {
    const body = { state: 'uploading', chunkSize: CHUNK, ...this.#truth() };
    if (this.granted !== undefined) body.parallelChunks = this.granted;
    return Promise.resolve({ status: 200, body });
  }

  complete() {
    assert.equal(this.prefix, this.size, 'complete only once every byte is there');
    return Promise.resolve({ status: 200, body: { state: 'completed' } });
  }

  async putChunk(sessionId, offset, bytes) {
    this.puts += 1;
    const put = this.puts;
    this.inFlight += 1;
    this.mostInFlight = Math.max(this.mostInFlight, this.inFlight);
    try {
      const delay =
        offset === 0 && this.faults.firstChunkMs ? this.faults.firstChunkMs : Math.random() * 8;
      await new Promise((resolve) => setTimeout(resolve, delay));
      if (offset === 0) this.putsBeforeFirstAnswer = this.puts;
      if (put === this.faults.unavailableAt)
        throw new ApiError(503, { error: 'unavailable', message: 'try again' });
      const index = offset / CHUNK;
      const length = Math.min(CHUNK, this.size - offset);
      const inWindow = offset >= this.prefix && offset < this.prefix + this.window * CHUNK;
      if (offset % CHUNK !== 0 || !inWindow || offset >= this.size || this.stored.has(index))
        throw new ApiError(409, { error: 'offset_mismatch', ...this.#truth() });
      assert.equal(bytes.byteLength, length, 'a whole chunk');
      Buffer.from(bytes).copy(this.bytes, offset);
      this.stored.add(index);
      while (this.stored.has(this.prefix / CHUNK)) {
        this.stored.delete(this.prefix / CHUNK);
        this.prefix = Math.min(this.size, this.prefix + CHUNK);
      }
      return { status: 200, body: this.#truth() };
    } finally {
      this.inFlight -= 1;
    }
  }
}

async function upload(server, content) {
  const file = new File([content], `f-${crypto.randomUUID()}.bin`, { lastModified: 1 });
  // A fingerprint from before: the hashing worker is the browser's business.
  sessionStorage.setItem(
    `hoist.upload.${JSON.stringify([file.name, file.size, file.lastModified])}`,
    JSON.stringify({ sessionId: null, fingerprint: 'a'.repeat(64) }),
  );
  const confirmed = [];
  const task = new UploadTask(file, server, (t) => confirmed.push(t.confirmed));
  await task.start();
  return { task, confirmed };
}

test('a granted window keeps several chunks in flight, never beyond it', async () => {
  const content = crypto.randomBytes(40 * CHUNK + 123);
  const server = new WindowedServer(content.length, 4);
  const { task, confirmed } = await upload(server, content);
  assert.equal(task.state, 'done', task.reason);
  assert.ok(server.bytes.equals(content), 'the server has the file');
  assert.ok(server.mostInFlight > 1, `chunks in flight at once: ${server.mostInFlight}`);
  assert.ok(server.mostInFlight <= 4);
  assert.deepEqual(confirmed, [...confirmed].sort((a, b) => a - b), 'progress never goes back');
});

test('a window granted beyond the chunks in flight: a slow first chunk holds no slot', async () => {
  const content = crypto.randomBytes(40 * CHUNK);
  const server = new WindowedServer(content.length, 8, { firstChunkMs: 300 });
  const { task } = await upload(server, content);
  assert.equal(task.state, 'done', task.reason);
  assert.ok(server.bytes.equals(content));
  assert.ok(server.mostInFlight <= 4, `never more than 4 in flight: ${server.mostInFlight}`);
  // Chunks 1-7 were sent (and answered) while chunk 0 went on.
  assert.equal(server.putsBeforeFirstAnswer, 8);
});

test('a 503 midway lets the window settle, asks the offset and completes', async () => {
  const content = crypto.randomBytes(20 * CHUNK);
  const server = new WindowedServer(content.length, 3, { unavailableAt: 7 });
  const { task } = await upload(server, content);
  assert.equal(task.state, 'done', task.reason);
  assert.ok(server.bytes.equals(content));
});

test('without the field in the answer, one chunk at a time', async () => {
  const content = crypto.randomBytes(12 * CHUNK + 1);
  const server = new WindowedServer(content.length, undefined);
  const { task } = await upload(server, content);
  assert.equal(task.state, 'done', task.reason);
  assert.ok(server.bytes.equals(content));
  assert.equal(server.mostInFlight, 1);
});
