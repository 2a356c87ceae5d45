import { z } from 'zod';
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
      tree: z.looseObject({
        name: z.literal('DTRegression'),
        options: z.record(z.string(), z.unknown()),
        root: z.record(z.string(), z.unknown()),
      }),
    }),
  ),
  logistic: z.looseObject({ name: z.literal('LogisticRegression'), classifiers: z.array(z.unknown()).min(1) }),
});
export type EnsembleParams = z.infer<typeof ensembleParamsSchema>;
