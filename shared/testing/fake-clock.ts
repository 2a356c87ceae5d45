import type { Clock } from '../ports/clock.port.js';

interface Sleeper {
  wakeAtMs: number;
  resolve: () => void;
}

/**
 * A manual clock for tests: time moves only when `advance` is called, and sleepers whose time
 * has come are woken in order. Lets a test prove a deadline fires at, not after, its time.
 */
export class FakeClock implements Clock {
  private now: number;
  private sleepers: Sleeper[] = [];

  constructor(startMs = 0) {
    this.now = startMs;
  }

  nowMs(): number {
    return this.now;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason as Error);
        return;
      }
      const sleeper: Sleeper = { wakeAtMs: this.now + ms, resolve };
      this.sleepers.push(sleeper);
      signal?.addEventListener(
        'abort',
        () => {
          this.sleepers = this.sleepers.filter((s) => s !== sleeper);
          reject(signal.reason as Error);
        },
        { once: true },
      );
    });
  }

  /** Pending sleeps, for assertions. */
  get pendingSleeps(): number {
    return this.sleepers.length;
  }

  /** Moves time forward by `ms`, waking each due sleeper and letting its continuation run. */
  async advance(ms: number): Promise<void> {
    const target = this.now + ms;
    for (;;) {
      await flushMicrotasks();
      this.sleepers.sort((a, b) => a.wakeAtMs - b.wakeAtMs);
      const next = this.sleepers[0];
      if (next === undefined || next.wakeAtMs > target) break;
      this.sleepers.shift();
      this.now = next.wakeAtMs;
      next.resolve();
    }
    this.now = target;
    await flushMicrotasks();
  }
}

async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 20; i += 1) await Promise.resolve();
}
