// One file's upload on the native protocol (docs/protocol.md): fingerprint, dedup
// preflight, init (or the session kept from before a reload), chunks at the server's
// committed offset, complete. Progress counts only bytes the server confirmed.
import { ApiError, NetworkError } from './api.js';
import { hashFile } from './hasher.js';
import { RateMeter } from './rate_meter.js';
import { resumeStore } from './resume_store.js';
import { isUnreadable, UnreadableFileError } from './upload_errors.js';

// Waits before attempt n (1 s, 3 s, …); after the last one the file fails.
const RETRY_DELAYS_S = [1, 3, 5, 10, 15, 30, 30, 30];
const POLL_MS = 1000;
// Chunks in flight at once: enough to fill a long link's round trips, few enough that
// the page holds at most this many chunks (8 MiB each) in memory. The window asked for
// is twice that: it counts from the prefix, so a window of just the chunks in flight
// left the slots of chunks answered early empty while the chunk at the prefix went on.
const PARALLEL_CHUNKS = 4;

// Thrown inside a run that was paused or cancelled: it ends quietly.
class Stopped extends Error {}

function retryable(error) {
  if (error instanceof NetworkError) return true;
  if (!(error instanceof ApiError)) return false;
  return error.status >= 500 || [408, 423, 429].includes(error.status);
}

export class UploadTask {
  constructor(file, api, onChange) {
    this.file = file;
    this.api = api;
    this.onChange = onChange;
    this.state = 'queued';
    this.reason = '';
    this.confirmed = 0;
    this.hashed = 0;
    this.retryIn = 0;
    this.attempt = 0;
    this.meter = new RateMeter();
    this.run = null;
    const saved = resumeStore.load(file);
    this.fingerprint = saved?.fingerprint ?? null;
    this.sessionId = saved?.sessionId ?? null;
  }

  get percent() {
    if (this.file.size === 0) return this.finished ? 100 : 0;
    return Math.floor((this.confirmed * 100) / this.file.size);
  }

  get finished() {
    return this.state === 'done' || this.state === 'exists';
  }

  get active() {
    return ['hashing', 'uploading', 'retrying', 'finishing'].includes(this.state);
  }

  get canPause() {
    return this.active || this.state === 'queued';
  }

  get canResume() {
    return this.state === 'paused';
  }

  get canRetry() {
    return this.state === 'failed' || this.state === 'cancelled';
  }

  get canCancel() {
    return !this.finished && this.state !== 'cancelled';
  }

  // Runs until the file is done, failed, paused or cancelled.
  async start() {
    const run = { controller: new AbortController() };
    this.run = run;
    try {
      await this.#upload(run);
    } catch (error) {
      if (this.run !== run || error instanceof Stopped || error?.name === 'AbortError') return;
      this.#set('failed', this.#explain(error));
    } finally {
      if (this.run === run) this.run = null;
    }
  }

  pause() {
    if (!this.canPause) return;
    this.#stopRun();
    this.#set('paused');
  }

  resume() {
    if (this.canResume) this.#set('queued');
  }

  retry() {
    if (!this.canRetry) return;
    this.attempt = 0;
    this.#set('queued');
  }

  cancel() {
    if (!this.canCancel) return;
    this.#stopRun();
    if (this.sessionId) this.api.abort(this.sessionId).catch(() => {});
    this.#forgetSession();
    this.confirmed = 0;
    this.#set('cancelled');
  }

  #stopRun() {
    this.run?.controller.abort();
    this.run = null;
  }

  #check(run) {
    if (this.run !== run) throw new Stopped();
  }

  #set(state, reason = '') {
    this.state = state;
    this.reason = reason;
    this.onChange(this);
  }

  #confirm(uploadedBytes) {
    this.confirmed = uploadedBytes;
    this.meter.sample(uploadedBytes);
    this.#save();
    this.onChange(this);
  }

  #save() {
    resumeStore.save(this.file, { sessionId: this.sessionId, fingerprint: this.fingerprint });
  }

  #forgetSession() {
    this.sessionId = null;
    resumeStore.forget(this.file);
  }

  async #upload(run) {
    this.meter.reset();
    if (!this.fingerprint) {
      this.hashed = 0;
      this.#set('hashing');
      this.fingerprint = await hashFile(
        this.file,
        (hashed) => {
          this.hashed = hashed;
          this.onChange(this);
        },
        run.controller.signal,
      );
      this.#check(run);
    }
    let session = this.sessionId ? await this.#existingSession(run) : null;
    if (!session) {
      const { body } = await this.#withRetries(run, () =>
        this.api.dedup(this.fingerprint, this.file.size),
      );
      if (body.exists) {
        this.confirmed = this.file.size;
        this.#forgetSession();
        return this.#set('exists');
      }
      session = (
        await this.#withRetries(run, () =>
          this.api.init(this.file, this.fingerprint, 2 * PARALLEL_CHUNKS),
        )
      ).body;
      this.sessionId = session.sessionId;
    }
    if (session.state === 'completed') return this.#done();
    this.#set('uploading');
    this.#confirm(session.uploadedBytes);
    if (session.state !== 'finalizing') {
      const width = session.parallelChunks ?? 1;
      if (width > 1) await this.#sendWindow(run, session, width);
      else await this.#sendChunks(run, session.chunkSize);
    }
    await this.#complete(run);
  }

  // The session kept from before a reload, or null when the server no longer has it.
  async #existingSession(run) {
    try {
      const { body } = await this.#withRetries(run, (signal) =>
        this.api.session(this.sessionId, signal),
      );
      if (body.state !== 'failed') return body;
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404)) throw error;
    }
    this.#forgetSession();
    return null;
  }

  async #sendChunks(run, chunkSize) {
    const size = this.file.size;
    let requery = false;
    while (this.confirmed < size) {
      if (requery) {
        const { body } = await this.#withRetries(run, (signal) =>
          this.api.session(this.sessionId, signal),
        );
        if (body.state !== 'uploading') return;
        this.#confirm(body.uploadedBytes);
        requery = false;
        continue;
      }
      const offset = this.confirmed;
      const bytes = await this.#readChunk(offset, chunkSize);
      this.#check(run);
      try {
        const { body } = await this.api.putChunk(
          this.sessionId,
          offset,
          bytes,
          run.controller.signal,
        );
        this.#check(run);
        this.attempt = 0;
        this.#confirm(body.uploadedBytes);
      } catch (error) {
        this.#check(run);
        if (error instanceof ApiError && error.code === 'offset_mismatch') {
          this.#confirm(error.body.uploadedBytes);
        } else if (error instanceof ApiError && error.code === 'completed') {
          return;
        } else if (retryable(error)) {
          await this.#backOff(run, error);
          requery = true;
        } else {
          throw error;
        }
      }
    }
  }

  async #readChunk(offset, chunkSize) {
    try {
      return await this.file.slice(offset, Math.min(offset + chunkSize, this.file.size)).arrayBuffer();
    } catch {
      throw new UnreadableFileError();
    }
  }

  // Up to `width` chunk PUTs in flight (docs/protocol.md "Parallel chunks"): each one
  // within `width` chunks of the contiguous prefix, never one the server has stored.
  // Progress stays the prefix the server confirmed; a 409 carries the server's truth.
  async #sendWindow(run, session, width) {
    const size = this.file.size;
    const chunkSize = session.chunkSize;
    const stored = new Set(session.storedChunks ?? []);
    const inFlight = new Map(); // chunk index → promise of its outcome
    let pending = null; // a retryable error: settle what is in flight, back off, re-ask
    const learn = (body) => {
      if (body.uploadedBytes > this.confirmed) this.#confirm(body.uploadedBytes);
      // Answers may arrive out of order; a stored chunk never goes away.
      for (const index of body.storedChunks ?? []) stored.add(index);
    };
    const put = async (index) => {
      const offset = index * chunkSize;
      try {
        const bytes = await this.#readChunk(offset, chunkSize);
        if (this.run !== run) return { index, error: new Stopped() };
        const answer = await this.api.putChunk(this.sessionId, offset, bytes, run.controller.signal);
        return { index, body: answer.body };
      } catch (error) {
        return { index, error };
      }
    };
    while (this.confirmed < size || inFlight.size > 0) {
      if (!pending) {
        const first = Math.floor(this.confirmed / chunkSize);
        for (let index = first; index < first + width && index * chunkSize < size; index += 1) {
          if (inFlight.size >= Math.min(width, PARALLEL_CHUNKS)) break;
          if (!stored.has(index) && !inFlight.has(index)) inFlight.set(index, put(index));
        }
      }
      if (inFlight.size === 0) {
        // After a retryable failure, or when what we know of the server leaves nothing
        // to send: ask the server where the session stands.
        if (pending) await this.#backOff(run, pending);
        pending = null;
        const { body } = await this.#withRetries(run, (signal) =>
          this.api.session(this.sessionId, signal),
        );
        if (body.state !== 'uploading') return;
        learn(body);
        continue;
      }
      const outcome = await Promise.race(inFlight.values());
      inFlight.delete(outcome.index);
      this.#check(run);
      const { error } = outcome;
      if (!error) {
        this.attempt = 0;
        learn(outcome.body);
      } else if (error instanceof ApiError && error.code === 'offset_mismatch') {
        learn(error.body);
      } else if (error instanceof ApiError && error.code === 'completed') {
        return;
      } else if (retryable(error)) {
        pending = error;
      } else {
        throw error;
      }
    }
  }

  async #complete(run) {
    this.#set('finishing');
    let { status } = await this.#withRetries(run, (signal) =>
      this.api.complete(this.sessionId, this.fingerprint, signal),
    );
    while (status === 202) {
      await this.#sleep(run, POLL_MS);
      const { body } = await this.#withRetries(run, (signal) =>
        this.api.session(this.sessionId, signal),
      );
      if (body.state === 'failed') throw new Error('the server could not finish the file');
      status = body.state === 'completed' ? 200 : 202;
    }
    this.#done();
  }

  #done() {
    this.#forgetSession();
    this.confirmed = this.file.size;
    this.#set('done');
  }

  // The reason a person reads after "Failed: ".
  #explain(error) {
    if (isUnreadable(error)) return new UnreadableFileError().message;
    if (error instanceof ApiError && error.status === 401)
      return 'the access token is no longer accepted: sign out and in again';
    if (error instanceof ApiError && error.status === 404)
      return 'the server no longer has this upload; Retry starts it again';
    return error.message;
  }

  // Calls `request` until it answers, backing off on answers worth retrying.
  async #withRetries(run, request) {
    for (;;) {
      try {
        const answer = await request(run.controller.signal);
        this.#check(run);
        this.attempt = 0;
        return answer;
      } catch (error) {
        this.#check(run);
        if (!retryable(error)) throw error;
        await this.#backOff(run, error);
      }
    }
  }

  async #backOff(run, error) {
    this.attempt += 1;
    if (this.attempt > RETRY_DELAYS_S.length) throw error;
    const resumeState = this.state;
    this.retryIn = RETRY_DELAYS_S[this.attempt - 1];
    this.#set('retrying', error.message);
    await this.#sleep(run, this.retryIn * 1000);
    this.#set(resumeState === 'retrying' ? 'uploading' : resumeState);
  }

  #sleep(run, ms) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(resolve, ms);
      run.controller.signal.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          reject(new Stopped());
        },
        { once: true },
      );
    });
  }
}
