// hoistd's native protocol (docs/protocol.md), same origin, every call with the bearer token.

// An answer of the server other than 2xx: `code` is the protocol's machine-readable error.
export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message || `the server answered ${status}`);
    this.status = status;
    this.code = body?.error ?? `http_${status}`;
    this.body = body ?? {};
  }
}

// Long enough for the browser to start the download, short enough that the address
// left in its download history opens nothing.
const DOWNLOAD_LINK_SECONDS = 60;

// No answer at all: the server is down, restarting, or the network is gone.
export class NetworkError extends Error {}

export class HoistApi {
  constructor(token) {
    this.token = token;
  }

  async request(method, path, { json, bytes, headers = {}, signal } = {}) {
    const init = {
      method,
      signal,
      cache: 'no-store',
      headers: { Authorization: `Bearer ${this.token}`, ...headers },
    };
    if (json !== undefined) {
      init.body = JSON.stringify(json);
      init.headers['Content-Type'] = 'application/json';
    } else if (bytes !== undefined) {
      init.body = bytes;
      init.headers['Content-Type'] = 'application/octet-stream';
    }
    let response;
    let text;
    try {
      response = await fetch(path, init);
      text = await response.text();
    } catch (error) {
      if (error.name === 'AbortError') throw error;
      throw new NetworkError('the server cannot be reached');
    }
    let body = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = null;
    }
    if (!response.ok) throw new ApiError(response.status, body);
    return { status: response.status, body: body ?? {} };
  }

  dedup(fingerprint, size) {
    return this.request('POST', '/upload/dedup', { json: { fingerprint, size } });
  }

  // Asks for `parallelChunks` chunks in flight (docs/protocol.md "Parallel chunks"): the
  // answer's `parallelChunks` is the window granted, absent from a server without the
  // extension.
  init(file, fingerprint, parallelChunks) {
    const json = { fileName: file.name, size: file.size, fingerprint, parallelChunks };
    if (file.type) json.mimeType = file.type;
    return this.request('POST', '/upload/init', { json });
  }

  putChunk(sessionId, offset, bytes, signal) {
    return this.request('PUT', `/upload/${sessionId}`, {
      bytes,
      signal,
      headers: { 'X-Upload-Offset': String(offset) },
    });
  }

  session(sessionId, signal) {
    return this.request('GET', `/upload/${sessionId}`, { signal });
  }

  abort(sessionId) {
    return this.request('DELETE', `/upload/${sessionId}`);
  }

  complete(sessionId, fingerprint, signal) {
    return this.request('POST', `/upload/${sessionId}/complete`, { json: { fingerprint }, signal });
  }

  files() {
    return this.request('GET', '/files');
  }

  deleteFile(fileId) {
    return this.request('DELETE', `/files/${fileId}`);
  }

  // Where the browser downloads a file from. A download is a plain navigation, so the
  // browser streams it to disk instead of the page holding the whole file in memory.
  // A navigation cannot carry the bearer token, so it goes to a share link minted for
  // it that expires a minute later (docs/protocol.md "The web app"); the path is on the
  // page's own origin, which serves the API, whatever --public-url says.
  async downloadUrl(fileId) {
    const { body } = await this.request('POST', `/files/${fileId}/links`, {
      json: { expiresIn: DOWNLOAD_LINK_SECONDS },
    });
    const token = new URL(body.url).pathname.split('/').pop();
    return `/s/${token}?download=1`;
  }
}
