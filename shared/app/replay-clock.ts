import type { Clock } from '../ports/clock.port.js';
import { systemClock } from '../adapters/system-clock.js';

/**
 * A clock for replays and tests: `set(ms)` jumps to a replayed time, which then runs at wall-clock
 * speed (so deadlines and sleeps still pass in real time). Production uses the system clock.
 */
export class ReplayClock implements Clock {
  private baseMs: number;
  private wallAtSetMs: number;

  constructor(
    startMs: number,
    private readonly wall: Clock = systemClock,
  ) {
    this.baseMs = startMs;
    this.wallAtSetMs = wall.nowMs();
  }

  set(ms: number): void {
    this.baseMs = ms;
    this.wallAtSetMs = this.wall.nowMs();
  }

  nowMs(): number {
    return this.baseMs + (this.wall.nowMs() - this.wallAtSetMs);
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return this.wall.sleep(ms, signal);
  }
}
