/** Time as an argument: the core never reads the wall clock itself. */
export interface Clock {
  nowMs(): number;
  /** Resolves after `ms`; rejects with the signal's reason if the signal aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** A source of uniform numbers in [0, 1): passed in so that jitter is testable. */
export type RandomSource = () => number;
