import { z } from 'zod';
import { ConfigurationError } from '../../core/errors.js';
import type { MacroPoint, MacroSeries, MacroSeriesName } from '../../core/macro.js';
import type { Clock, RandomSource } from '../../ports/clock.port.js';
import type { MacroSource } from '../../ports/macro-source.port.js';
import {
  DEFAULT_EXTERNAL_CALL_POLICY,
  externalCall,
  fetchFailed,
  statusIsRetryable,
  type ExternalCallPolicy,
} from '../market-data/bounded-call.js';

const DAY_MS = 86_400_000;

/** alternative.me's answer: newest first, numbers as strings, unix seconds. */
const fngResponse = z.object({
  data: z.array(
    z.object({
      value: z.coerce.number().finite().min(0).max(100),
      timestamp: z.coerce.number().int().positive(),
    }),
  ),
  metadata: z.object({ error: z.string().nullable().optional() }).optional(),
});

export interface FearGreedSourceOptions {
  /** e.g. https://api.alternative.me (setting FEAR_GREED_URL). */
  baseUrl: string;
  clock: Clock;
  random: RandomSource;
  policy?: ExternalCallPolicy;
  fetch?: typeof fetch;
}

/** The Crypto Fear & Greed index from alternative.me's `/fng/?limit=N&format=json`. */
export class FearGreedSource implements MacroSource {
  private readonly policy: ExternalCallPolicy;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: FearGreedSourceOptions) {
    this.policy = options.policy ?? DEFAULT_EXTERNAL_CALL_POLICY;
    this.fetchImpl = options.fetch ?? globalThis.fetch;
  }

  async fetchDaily(name: MacroSeriesName, fromDate: string, signal?: AbortSignal): Promise<MacroSeries> {
    if (name !== 'fearGreed') throw new ConfigurationError(`FearGreedSource serves fearGreed only, not ${name}`);
    const fromMs = Date.parse(`${fromDate}T00:00:00Z`);
    if (!Number.isFinite(fromMs)) throw new ConfigurationError(`fromDate must be YYYY-MM-DD, got ${fromDate}`);
    const limit = Math.max(1, Math.ceil((this.options.clock.nowMs() - fromMs) / DAY_MS) + 1);
    const url = `${this.options.baseUrl.replace(/\/+$/, '')}/fng/?limit=${limit}&format=json`;
    const body = await externalCall(
      async (attemptSignal) => {
        const response = await this.fetchImpl(url, { signal: attemptSignal, headers: { accept: 'application/json' } });
        if (!response.ok) {
          throw fetchFailed(`Fear & Greed answered HTTP ${response.status}`, {
            retryable: statusIsRetryable(response.status),
            status: response.status,
          });
        }
        const parsed = fngResponse.safeParse(await response.json().catch(() => undefined));
        if (!parsed.success)
          throw fetchFailed(`Fear & Greed answer does not parse: ${parsed.error.issues[0]?.message ?? ''}`, {
            retryable: false,
          });
        if (parsed.data.metadata?.error)
          throw fetchFailed(`Fear & Greed error: ${parsed.data.metadata.error}`, { retryable: true });
        return parsed.data;
      },
      {
        what: 'Fear & Greed /fng/',
        clock: this.options.clock,
        random: this.options.random,
        policy: this.policy,
        signal,
      },
    );
    const byDate = new Map<string, MacroPoint>();
    for (const row of body.data) {
      const date = new Date(row.timestamp * 1000).toISOString().slice(0, 10);
      if (date >= fromDate) byDate.set(date, { date, value: row.value });
    }
    return { name, points: [...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : 1)) };
  }
}
