// The files of a drop, with the files inside dropped folders (where the browser gives
// folder entries): the entries must be taken during the drop event, before any await.
export function droppedFiles(dataTransfer) {
  const entries = [...dataTransfer.items]
    .filter((item) => item.kind === 'file')
    .map((item) => item.webkitGetAsEntry?.())
    .filter(Boolean);
  if (entries.length === 0) return Promise.resolve([...dataTransfer.files]);
  return collect(entries);
}

async function collect(entries) {
  const files = [];
  for (const entry of entries) {
    if (entry.isFile) {
      files.push(await new Promise((resolve, reject) => entry.file(resolve, reject)));
    } else if (entry.isDirectory) {
      files.push(...(await collect(await readDirectory(entry))));
    }
  }
  return files;
}

async function readDirectory(directory) {
  const reader = directory.createReader();
  const all = [];
  for (;;) {
    const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}
