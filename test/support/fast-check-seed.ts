import fc from 'fast-check';
import { fcRuns } from './fc-runs.js';

/**
 * Property tests run with one fixed seed by default so that CI is reproducible; `FC_SEED=random`
 * explores new inputs, and `FC_SEED=<n>` replays a failure fast-check reported. `FC_RUNS=<n>` raises
 * every property to at least n runs: those without their own budget here (fast-check's default 100),
 * those with one through `fcRuns` (test/support/fc-runs.ts).
 */
const requested = process.env.FC_SEED;
fc.configureGlobal({
  ...(requested !== 'random' ? { seed: requested === undefined ? 20_261_126 : Number(requested) } : {}),
  numRuns: fcRuns(100),
});
