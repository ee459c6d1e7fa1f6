import { UnreadableFileError } from './upload_errors.js';

// Hashes `file` in a Web Worker; `signal` stops the worker at once (pause, cancel).
export function hashFile(file, onProgress, signal) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./hash.worker.js', import.meta.url), { type: 'module' });
    const stop = () => {
      worker.terminate();
      reject(new DOMException('hashing stopped', 'AbortError'));
    };
    signal.addEventListener('abort', stop, { once: true });
    const finish = () => {
      signal.removeEventListener('abort', stop);
      worker.terminate();
    };
    worker.onmessage = ({ data }) => {
      if (data.type === 'progress') return onProgress(data.hashed);
      finish();
      if (data.type === 'done') resolve(data.fingerprint);
      else if (data.name === 'NotReadableError' || data.name === 'NotFoundError')
        reject(new UnreadableFileError());
      else reject(new Error(`hashing failed: ${data.message}`));
    };
    worker.onerror = (event) => {
      finish();
      reject(new Error(`hashing failed: ${event.message}`));
    };
    worker.postMessage({ file });
  });
}
