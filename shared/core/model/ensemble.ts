import { DecisionTreeRegression } from 'ml-cart';
import LogisticRegression from 'ml-logistic-regression';
import { Matrix } from 'ml-matrix';
import { sampleWithoutReplacement, seededRandom } from './prng.js';
import type { EnsembleConfig } from './types.js';
import type { EnsembleParams } from './ensemble-params.js';

export {
  DEFAULT_ENSEMBLE,
  ensembleConfigSchema,
  ensembleParamsSchema,
  type EnsembleParams,
} from './ensemble-params.js';

/**
 * Training only (the tick never loads this file or its libraries): the forest of ml-cart trees and
 * the mljs logistic regression described in ensemble-params.ts. Prediction is predict.ts.
 */

/** Fits both models on scaled rows and 0/1 labels; deterministic given `seed`. */
export function fitEnsemble(
  rows: readonly number[][],
  labels: readonly number[],
  config: EnsembleConfig,
  seed: number,
): EnsembleParams {
  const random = seededRandom(seed);
  const width = rows[0]?.length ?? 0;
  const forest: EnsembleParams['forest'] = [];
  for (let t = 0; t < config.trees; t += 1) {
    const features = sampleWithoutReplacement(width, config.featuresPerTree, random);
    const picked = Array.from({ length: Math.min(config.rowsPerTree, rows.length) }, () =>
      Math.floor(random() * rows.length),
    );
    const tree = new DecisionTreeRegression({ maxDepth: config.maxDepth, minNumSamples: config.minLeafRows });
    tree.train(
      picked.map((i) => features.map((j) => (rows[i] as number[])[j] as number)),
      picked.map((i) => labels[i] as number),
    );
    forest.push({ features, tree: toPlain(tree.toJSON()) as EnsembleParams['forest'][number]['tree'] });
  }
  const logistic = new LogisticRegression({
    numSteps: config.logisticSteps,
    learningRate: config.logisticLearningRate,
  });
  logistic.train(new Matrix(rows.map(withBias)), Matrix.columnVector([...labels]));
  return {
    kind: 'bagged-cart+logistic/1',
    config,
    forest,
    logistic: toPlain(logistic.toJSON()) as EnsembleParams['logistic'],
  };
}

function withBias(row: readonly number[]): number[] {
  return [1, ...row];
}

function toPlain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}
