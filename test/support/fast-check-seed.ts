import fc from 'fast-check';

/**
 * Property tests run with one fixed seed by default so that CI is reproducible; `FC_SEED=random`
 * explores new inputs, and `FC_SEED=<n>` replays a failure fast-check reported.
 */
const requested = process.env.FC_SEED;
if (requested !== 'random') fc.configureGlobal({ seed: requested === undefined ? 20_261_126 : Number(requested) });
