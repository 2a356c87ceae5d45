import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';

/** One line of research/trials.jsonl: a configuration tried, on which data, over which period, with its figures. */
export const trialSchema = z.object({
  atIso: z.string(),
  /** `config`: a grid configuration (counted by the DSR); `walk-forward`: the selection's stitched result; `baseline`; `holdout`. */
  kind: z.enum(['config', 'walk-forward', 'baseline', 'holdout']),
  strategy: z.string(),
  params: z.record(z.string(), z.unknown()),
  data: z.object({ file: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/), timeframe: z.string(), quotePerUsd: z.number() }),
  period: z.object({ from: z.string(), to: z.string() }),
  costs: z.object({ takerFeeRate: z.number(), makerFeeRate: z.number(), slippage: z.number(), execution: z.string(), interestDaily: z.number(),
    /** BOT_MARKET the trial ran on; absent: margin (every trial before BOT_MARKET, and margin trials since). */
    market: z.literal('spot').optional() }),
  sizing: z.string(),
  figures: z.record(z.string(), z.unknown()),
});
export type Trial = z.infer<typeof trialSchema>;

/** Every trial logged so far (each line re-validated: a hand-edited log fails loudly). */
export function readTrials(path: string): Trial[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      const parsed = trialSchema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${path}:${i + 1}: not a trial record: ${parsed.error.message}`);
      return parsed.data;
    });
}

export function appendTrials(path: string, trials: readonly Trial[]): void {
  if (trials.length > 0) appendFileSync(path, trials.map((t) => `${JSON.stringify(trialSchema.parse(t))}\n`).join(''));
}

/**
 * The configurations tried on this data file (the DSR's trial count): grid configurations of every
 * strategy, not baselines; the same configuration over the same period run again is one trial (its
 * latest figures), not a new one.
 */
export function trialsForData(trials: readonly Trial[], sha256: string): Trial[] {
  const unique = new Map<string, Trial>();
  for (const t of trials) {
    if (t.data.sha256 !== sha256 || t.kind !== 'config') continue;
    unique.set(JSON.stringify([t.strategy, Object.entries(t.params).sort(([a], [b]) => a.localeCompare(b)), t.period, t.sizing, t.costs]), t);
  }
  return [...unique.values()];
}
