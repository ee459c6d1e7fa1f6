// Upload speed as an exponential moving average of server-confirmed bytes per second,
// and the time left at that speed.
const WEIGHT = 0.3;

export class RateMeter {
  constructor() {
    this.reset();
  }

  reset() {
    this.bytesPerSecond = null;
    this.last = null;
  }

  // `confirmed` bytes are on the server at time `now` (ms).
  sample(confirmed, now = performance.now()) {
    if (this.last && now > this.last.time && confirmed > this.last.confirmed) {
      const rate = ((confirmed - this.last.confirmed) * 1000) / (now - this.last.time);
      this.bytesPerSecond =
        this.bytesPerSecond === null ? rate : WEIGHT * rate + (1 - WEIGHT) * this.bytesPerSecond;
    }
    this.last = { confirmed, time: now };
  }

  secondsLeft(remaining) {
    return this.bytesPerSecond ? remaining / this.bytesPerSecond : Infinity;
  }
}
