import { DecisionTreeRegression, type DecisionTreeRegressionJson } from 'ml-cart';
import LogisticRegression from 'ml-logistic-regression';
import { Matrix } from 'ml-matrix';
import { z } from 'zod';
import { sampleWithoutReplacement, seededRandom } from './prng.js';
import type { EnsembleConfig } from './types.js';

/**
 * The ensemble: a bagged forest of ml-cart regression trees on 0/1 labels (each leaf holds the
 * share of "up" rows, so the forest mean is a probability) averaged with an mljs logistic
 * regression. Why not ml-random-forest itself: it bootstraps all n rows for every tree and
 * ml-cart's split search is quadratic in rows (85 ms a tree at 1,000 rows, measured), too slow
 * for ~350 walk-forward folds; drawing `rowsPerTree` rows per tree keeps the same trees 10x
 * cheaper. Sizes chosen by measurement (bench/model.bench.ts).
 */
export const DEFAULT_ENSEMBLE: EnsembleConfig = {
  trees: 24,
  rowsPerTree: 250,
  featuresPerTree: 12,
  maxDepth: 3,
  minLeafRows: 20,
  logisticSteps: 15,
  logisticLearningRate: 2.5e-4,
  forestWeight: 0.8,
  zClip: 8,
};

export const ensembleConfigSchema = z.object({
  trees: z.number().int().min(0).max(500),
  rowsPerTree: z.number().int().min(10),
  featuresPerTree: z.number().int().min(1),
  maxDepth: z.number().int().min(1).max(20),
  minLeafRows: z.number().int().min(1),
  logisticSteps: z.number().int().min(0),
  logisticLearningRate: z.number().positive(),
  forestWeight: z.number().min(0).max(1),
  zClip: z.number().positive(),
});

export const ensembleParamsSchema = z.object({
  kind: z.literal('bagged-cart+logistic/1'),
  config: ensembleConfigSchema,
  forest: z.array(
    z.object({
      features: z.array(z.number().int().min(0)),
      tree: z.looseObject({ name: z.literal('DTRegression'), options: z.record(z.string(), z.unknown()), root: z.record(z.string(), z.unknown()) }),
    }),
  ),
  logistic: z.looseObject({ name: z.literal('LogisticRegression'), classifiers: z.array(z.unknown()).min(1) }),
});
export type EnsembleParams = z.infer<typeof ensembleParamsSchema>;

/** Fits both models on scaled rows and 0/1 labels; deterministic given `seed`. */
export function fitEnsemble(rows: readonly number[][], labels: readonly number[], config: EnsembleConfig, seed: number): EnsembleParams {
  const random = seededRandom(seed);
  const width = rows[0]?.length ?? 0;
  const forest: EnsembleParams['forest'] = [];
  for (let t = 0; t < config.trees; t += 1) {
    const features = sampleWithoutReplacement(width, config.featuresPerTree, random);
    const picked = Array.from({ length: Math.min(config.rowsPerTree, rows.length) }, () => Math.floor(random() * rows.length));
    const tree = new DecisionTreeRegression({ maxDepth: config.maxDepth, minNumSamples: config.minLeafRows });
    tree.train(
      picked.map((i) => features.map((j) => (rows[i] as number[])[j] as number)),
      picked.map((i) => labels[i] as number),
    );
    forest.push({ features, tree: toPlain(tree.toJSON()) as EnsembleParams['forest'][number]['tree'] });
  }
  const logistic = new LogisticRegression({ numSteps: config.logisticSteps, learningRate: config.logisticLearningRate });
  logistic.train(new Matrix(rows.map(withBias)), Matrix.columnVector([...labels]));
  return { kind: 'bagged-cart+logistic/1', config, forest, logistic: toPlain(logistic.toJSON()) as EnsembleParams['logistic'] };
}

/** Rebuilds the library models once; the returned function maps scaled rows to probabilities. */
export function ensemblePredictor(params: EnsembleParams): (rows: readonly number[][]) => number[] {
  const trees = params.forest.map((f) => ({ features: f.features, tree: DecisionTreeRegression.load(f.tree as DecisionTreeRegressionJson) }));
  const logistic = LogisticRegression.load(params.logistic);
  // ml-logistic-regression is one-vs-all with class 0 mapped to target 0: classifier 0 scores P(label != 0) = P(up).
  const upScorer = logistic.classifiers[0];
  if (upScorer === undefined) throw new RangeError('logistic regression has no classifier');
  const w = params.config.forestWeight;
  return (rows) => {
    if (rows.length === 0) return [];
    const forestMean = new Array<number>(rows.length).fill(0);
    if (trees.length > 0) {
      for (const { features, tree } of trees) {
        const out = tree.predict(rows.map((r) => features.map((j) => r[j] as number)));
        for (let i = 0; i < rows.length; i += 1) forestMean[i] = (forestMean[i] as number) + (out[i] as number) / trees.length;
      }
    }
    const logit = upScorer.testScores(new Matrix(rows.map(withBias)));
    const forestShare = trees.length > 0 ? w : 0;
    return rows.map((_, i) => forestShare * (forestMean[i] as number) + (1 - forestShare) * (logit[i] as number));
  };
}

function withBias(row: readonly number[]): number[] {
  return [1, ...row];
}

function toPlain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}
