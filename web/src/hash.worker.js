// SHA-256 of a File, read slice by slice: the file is never in memory whole, so files
// of many GiB hash in constant memory (WebCrypto has no incremental digest).
import { createSHA256 } from 'hash-wasm';

const SLICE_BYTES = 4 * 1024 * 1024;

self.onmessage = async ({ data: { file } }) => {
  try {
    const sha256 = await createSHA256();
    sha256.init();
    for (let offset = 0; offset < file.size; offset += SLICE_BYTES) {
      const end = Math.min(offset + SLICE_BYTES, file.size);
      sha256.update(new Uint8Array(await file.slice(offset, end).arrayBuffer()));
      self.postMessage({ type: 'progress', hashed: end });
    }
    self.postMessage({ type: 'done', fingerprint: sha256.digest('hex') });
  } catch (error) {
    self.postMessage({ type: 'error', name: error.name, message: error.message });
  }
};
