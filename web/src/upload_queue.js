import { UploadTask } from './upload_task.js';

// Files hashing or uploading at once; the others wait their turn.
const MAX_ACTIVE = 2;

export class UploadQueue {
  constructor(api, onChange) {
    this.api = api;
    this.onChange = onChange;
    this.tasks = [];
    this.running = new Set();
  }

  add(files) {
    const added = files.map((file) => new UploadTask(file, this.api, (task) => this.#changed(task)));
    this.tasks.push(...added);
    this.#schedule();
    return added;
  }

  pauseAll() {
    this.tasks.forEach((task) => task.pause());
  }

  resumeAll() {
    this.tasks.forEach((task) => task.resume());
  }

  retryAll() {
    this.tasks.forEach((task) => task.retry());
  }

  cancelAll() {
    this.tasks.forEach((task) => task.cancel());
  }

  // Rows that need nothing more from the user.
  removeFinished() {
    const finished = this.tasks.filter((task) => task.finished || task.state === 'cancelled');
    this.tasks = this.tasks.filter((task) => !finished.includes(task));
    return finished;
  }

  #changed(task) {
    this.onChange(task);
    if (task.state === 'queued') this.#schedule();
  }

  #schedule() {
    for (const task of this.tasks) {
      if (this.running.size >= MAX_ACTIVE) return;
      if (task.state !== 'queued' || this.running.has(task)) continue;
      this.running.add(task);
      task.start().finally(() => {
        this.running.delete(task);
        this.#schedule();
      });
    }
  }
}
