import { announce, h } from './dom.js';
import { droppedFiles } from './dropped_files.js';
import { formatBytes, formatDuration } from './format.js';
import { resumeStore } from './resume_store.js';
import { UploadQueue } from './upload_queue.js';

function stateText(task) {
  switch (task.state) {
    case 'queued':
      return 'Waiting';
    case 'hashing':
      return task.file.size ? `Hashing ${Math.floor((task.hashed * 100) / task.file.size)} %` : 'Hashing';
    case 'uploading':
      return 'Uploading';
    case 'retrying':
      return `Uploading: retrying in ${task.retryIn} s (${task.reason})`;
    case 'finishing':
      return 'Finishing';
    case 'paused':
      return 'Paused';
    case 'done':
      return 'Done';
    case 'exists':
      return 'Already on server';
    case 'failed':
      return `Failed: ${task.reason}`;
    default:
      return 'Cancelled';
  }
}

function speedText(task) {
  if (task.state !== 'uploading' || !task.meter.bytesPerSecond) return '';
  const left = task.meter.secondsLeft(task.file.size - task.confirmed);
  return `${formatBytes(task.meter.bytesPerSecond)}/s · ${formatDuration(left)} left`;
}

// One row: built once, then updated in place on every change of its task.
class UploadRow {
  constructor(task) {
    const name = task.file.name;
    this.task = task;
    this.fill = h('div', { class: 'fill' });
    this.bar = h(
      'div',
      {
        class: 'bar',
        role: 'progressbar',
        'aria-label': `${name} uploaded`,
        'aria-valuemin': 0,
        'aria-valuemax': 100,
        'aria-valuenow': 0,
      },
      this.fill,
    );
    this.state = h('span', { class: 'state' });
    this.speed = h('span', { class: 'speed' });
    const button = (label, action) =>
      h('button', { type: 'button', 'aria-label': `${label} ${name}`, onClick: action }, label);
    this.buttons = {
      pause: button('Pause', () => task.pause()),
      resume: button('Resume', () => task.resume()),
      retry: button('Retry', () => task.retry()),
      cancel: button('Cancel', () => task.cancel()),
    };
    this.element = h(
      'li',
      { class: 'upload' },
      h('span', { class: 'name', title: name }, name),
      h('span', { class: 'size' }, formatBytes(task.file.size)),
      this.bar,
      h('span', { class: 'status' }, this.state, this.speed),
      h('span', { class: 'actions' }, Object.values(this.buttons)),
    );
    this.update();
  }

  update() {
    const task = this.task;
    const percent = task.percent;
    this.bar.setAttribute('aria-valuenow', percent);
    this.bar.setAttribute('aria-valuetext', `${percent} %`);
    this.fill.style.width = `${percent}%`;
    this.element.dataset.state = task.state;
    this.state.textContent = stateText(task);
    this.speed.textContent = speedText(task);
    this.buttons.pause.hidden = !task.canPause;
    this.buttons.resume.hidden = !task.canResume;
    this.buttons.retry.hidden = !task.canRetry;
    this.buttons.cancel.hidden = !task.canCancel;
  }
}

export class UploadView {
  constructor(api) {
    this.rows = new Map();
    this.queue = new UploadQueue(api, (task) => this.#changed(task));
    this.list = h('ul', { class: 'uploads', 'aria-label': 'Uploads' });
    this.pending = h('p', { class: 'notice', hidden: true });
    this.element = h(
      'section',
      { class: 'upload-view', 'aria-labelledby': 'upload-title' },
      h('h1', { id: 'upload-title' }, 'Upload'),
      this.#dropZone(),
      this.pending,
      this.#toolbar(),
      this.list,
    );
    this.#showPending();
  }

  stop() {
    this.queue.pauseAll();
  }

  add(files) {
    for (const task of this.queue.add(files)) {
      const row = new UploadRow(task);
      this.rows.set(task, row);
      this.list.append(row.element);
    }
    this.#showPending();
  }

  #changed(task) {
    this.rows.get(task)?.update();
    if (task.state === 'done') announce(`${task.file.name} uploaded`);
    else if (task.state === 'exists') announce(`${task.file.name} is already on the server`);
    else if (task.state === 'failed') announce(`${task.file.name} failed: ${task.reason}`);
  }

  #dropZone() {
    const pick = (attributes) => {
      const input = h('input', { type: 'file', multiple: true, class: 'visually-hidden', ...attributes });
      input.addEventListener('change', () => {
        this.add([...input.files]);
        input.value = '';
      });
      return input;
    };
    const files = pick({ id: 'file-input', 'aria-label': 'Choose files' });
    const folder = 'webkitdirectory' in HTMLInputElement.prototype
      ? pick({ id: 'folder-input', webkitdirectory: true, 'aria-label': 'Choose a folder' })
      : null;
    const zone = h(
      'div',
      { class: 'drop-zone' },
      h('p', {}, 'Drag files or folders here, or'),
      h('button', { type: 'button', onClick: () => files.click() }, 'Choose files'),
      folder && h('button', { type: 'button', onClick: () => folder.click() }, 'Choose a folder'),
      files,
      folder,
    );
    zone.addEventListener('dragover', (event) => {
      event.preventDefault();
      zone.classList.add('over');
    });
    zone.addEventListener('dragleave', () => zone.classList.remove('over'));
    zone.addEventListener('drop', (event) => {
      event.preventDefault();
      zone.classList.remove('over');
      droppedFiles(event.dataTransfer).then((dropped) => this.add(dropped));
    });
    return zone;
  }

  #toolbar() {
    const button = (label, action) => h('button', { type: 'button', onClick: action }, label);
    return h(
      'div',
      { class: 'toolbar', role: 'toolbar', 'aria-label': 'All uploads' },
      button('Pause all', () => this.queue.pauseAll()),
      button('Resume all', () => this.queue.resumeAll()),
      button('Retry all', () => this.queue.retryAll()),
      button('Cancel all', () => this.queue.cancelAll()),
      button('Clear finished', () => {
        for (const task of this.queue.removeFinished()) {
          this.rows.get(task).element.remove();
          this.rows.delete(task);
        }
      }),
    );
  }

  // Uploads this tab started before a reload: their files must be selected again.
  #showPending() {
    const shown = new Set(this.queue.tasks.map((task) => task.file.name));
    const names = resumeStore.pendingNames().filter((name) => !shown.has(name));
    this.pending.hidden = names.length === 0;
    this.pending.textContent = `Unfinished uploads: ${names.join(', ')}. Select these files again to resume them where they stopped.`;
  }
}
