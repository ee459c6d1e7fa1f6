// The upload session of each file, kept in sessionStorage under the file's name, size
// and last-modified time: after a reload, selecting the same file again finds its
// session and resumes from the server's offset instead of starting over.
const PREFIX = 'hoist.upload.';

function keyOf(file) {
  return PREFIX + JSON.stringify([file.name, file.size, file.lastModified]);
}

export const resumeStore = {
  load(file) {
    try {
      return JSON.parse(sessionStorage.getItem(keyOf(file)));
    } catch {
      return null;
    }
  },
  save(file, record) {
    sessionStorage.setItem(keyOf(file), JSON.stringify(record));
  },
  forget(file) {
    sessionStorage.removeItem(keyOf(file));
  },
  // Names of files whose upload did not finish in this tab, to ask for them again.
  pendingNames() {
    const names = [];
    for (let i = 0; i < sessionStorage.length; i += 1) {
      const key = sessionStorage.key(i);
      if (!key.startsWith(PREFIX)) continue;
      try {
        names.push(JSON.parse(key.slice(PREFIX.length))[0]);
      } catch {
        // a key of another version of the page: not ours to list
      }
    }
    return names;
  },
};
