// The browser lost access to the file (moved, changed, a phone that revoked the
// permission): retrying cannot help, only selecting it again.
export class UnreadableFileError extends Error {
  constructor() {
    super('The file can no longer be read: select it again');
  }
}

export function isUnreadable(error) {
  return (
    error instanceof UnreadableFileError ||
    error?.name === 'NotReadableError' ||
    error?.name === 'NotFoundError'
  );
}
