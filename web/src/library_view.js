// The user's files (GET /files): sortable, downloadable, deletable after a confirmation.
import { announce, h } from './dom.js';
import { formatBytes, formatDate } from './format.js';
import { shareControls } from './share_links.js';

const COLUMNS = [
  ['fileName', 'Name'],
  ['size', 'Size'],
  ['type', 'Type'],
  ['createdAt', 'Uploaded'],
];

function typeOf(file) {
  return file.detectedMimeType || file.mimeType || '';
}

function compare(key) {
  if (key === 'size') return (a, b) => a.size - b.size;
  if (key === 'type') return (a, b) => typeOf(a).localeCompare(typeOf(b));
  return (a, b) => String(a[key]).localeCompare(String(b[key]));
}

export class LibraryView {
  constructor(api) {
    this.api = api;
    this.files = [];
    this.sort = { key: 'createdAt', descending: true };
    this.status = h('p', { class: 'message', role: 'status' });
    this.head = h('tr');
    this.body = h('tbody');
    this.dialog = this.#confirmDialog();
    this.element = h(
      'section',
      { class: 'library-view', 'aria-labelledby': 'library-title' },
      h('h1', { id: 'library-title' }, 'Library'),
      h('button', { type: 'button', class: 'quiet', onClick: () => this.load() }, 'Refresh'),
      this.status,
      h('table', { class: 'files' }, h('thead', {}, this.head), this.body),
      this.dialog,
    );
  }

  async load() {
    this.status.textContent = 'Loading…';
    try {
      this.files = (await this.api.files()).body.files ?? [];
      this.status.textContent = this.files.length
        ? ''
        : 'No files yet: the files you upload appear here.';
    } catch (error) {
      this.status.textContent = `Cannot list your files: ${error.message}`;
    }
    this.#render();
  }

  #render() {
    this.head.replaceChildren(
      ...COLUMNS.map(([key, label]) => {
        const active = this.sort.key === key;
        const order = this.sort.descending ? 'descending' : 'ascending';
        return h(
          'th',
          { scope: 'col', 'aria-sort': active ? order : 'none' },
          h('button', { type: 'button', class: 'sort', onClick: () => this.#sortBy(key) }, label,
            active ? (this.sort.descending ? ' ▼' : ' ▲') : ''),
        );
      }),
      h('th', { scope: 'col' }, 'Actions'),
    );
    const sorted = [...this.files].sort(compare(this.sort.key));
    if (this.sort.descending) sorted.reverse();
    this.body.replaceChildren(...sorted.flatMap((file) => this.#rows(file)));
  }

  #sortBy(key) {
    this.sort = { key, descending: this.sort.key === key ? !this.sort.descending : false };
    this.#render();
  }

  #rows(file) {
    const share = shareControls(this.api, file);
    const row = h(
      'tr',
      { 'data-file-id': file.fileId },
      h('td', { class: 'name', 'data-label': 'Name' }, file.fileName),
      h('td', { 'data-label': 'Size' }, formatBytes(file.size)),
      h('td', { 'data-label': 'Type' }, typeOf(file)),
      h('td', { 'data-label': 'Uploaded' }, formatDate(file.createdAt)),
      h(
        'td',
        { class: 'actions' },
        h('button', { type: 'button', 'aria-label': `Download ${file.fileName}`, onClick: () => this.#download(file) }, 'Download'),
        h('button', { type: 'button', class: 'danger', 'aria-label': `Delete ${file.fileName}`, onClick: () => this.#confirmDelete(file) }, 'Delete'),
        share.toggle,
      ),
    );
    return [row, h('tr', { class: 'share-row' }, h('td', { colspan: COLUMNS.length + 1 }, share.panel))];
  }

  async #download(file) {
    try {
      const href = await this.api.downloadUrl(file.fileId);
      const link = h('a', { href, download: file.fileName, hidden: true });
      document.body.append(link);
      link.click();
      link.remove();
      this.status.textContent = '';
    } catch (error) {
      this.status.textContent = `Cannot download ${file.fileName}: ${error.message}`;
    }
  }

  #confirmDialog() {
    this.question = h('p', { id: 'delete-question' });
    return h(
      'dialog',
      { class: 'confirm', 'aria-labelledby': 'delete-question' },
      h(
        'form',
        { method: 'dialog' },
        this.question,
        h('div', { class: 'buttons' },
          h('button', { value: 'keep', autofocus: true }, 'Keep'),
          h('button', { value: 'delete', class: 'danger' }, 'Delete')),
      ),
    );
  }

  #confirmDelete(file) {
    this.question.textContent = `Delete ${file.fileName}? This cannot be undone.`;
    this.dialog.returnValue = '';
    this.dialog.addEventListener(
      'close',
      async () => {
        if (this.dialog.returnValue !== 'delete') return;
        try {
          await this.api.deleteFile(file.fileId);
          announce(`${file.fileName} deleted`);
          await this.load();
        } catch (error) {
          this.status.textContent = `Cannot delete ${file.fileName}: ${error.message}`;
        }
      },
      { once: true },
    );
    this.dialog.showModal();
  }
}
