/**
 * How many inputs a property test tries. CI and `npm test` keep each surface's own budget (the
 * number the test names); `FC_RUNS=1000 npx vitest run test/reliability/bad-input-*.test.ts` runs
 * every surface at least 1,000 times (the larger of the two), for a deeper search before a release.
 */
export function fcRuns(budget: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.FC_RUNS;
  if (raw === undefined || raw === '') return budget;
  const requested = Number(raw);
  if (!Number.isInteger(requested) || requested < 1)
    throw new Error(`FC_RUNS must be a positive integer, got ${JSON.stringify(raw)}`);
  return Math.max(budget, requested);
}
