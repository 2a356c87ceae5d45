import { DecisionTreeRegression, type DecisionTreeRegressionJson } from 'ml-cart';
import LogisticRegression from 'ml-logistic-regression';
import { Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { ensembleParamsSchema, type EnsembleParams } from './ensemble-params.js';
import { loadModel } from './load.js';
import { featureColumns } from './matrix.js';
import { compileEnsemble } from './predict.js';
import { scaleRow } from './scaler.js';
import { syntheticMarket } from './synthetic.js';
import { trainModel } from './train.js';

/** The libraries' own prediction (what the artifact's models compute when ml-cart and mljs rebuild them): the reference. */
function libraryPredict(given: EnsembleParams, rows: readonly number[][]): number[] {
  const params = JSON.parse(JSON.stringify(given)) as EnsembleParams; // the libraries' load() rewrites what it is given
  const trees = params.forest.map((f) => ({
    features: f.features,
    tree: DecisionTreeRegression.load(f.tree as DecisionTreeRegressionJson),
  }));
  const up = LogisticRegression.load(params.logistic).classifiers[0]!;
  const forestMean = new Array<number>(rows.length).fill(0);
  for (const { features, tree } of trees) {
    const out = tree.predict(rows.map((r) => features.map((j) => r[j] as number)));
    for (let i = 0; i < rows.length; i += 1)
      forestMean[i] = (forestMean[i] as number) + (out[i] as number) / trees.length;
  }
  const logit = up.testScores(new Matrix(rows.map((r) => [1, ...r])));
  const w = trees.length > 0 ? params.config.forestWeight : 0;
  return rows.map((_, i) => w * (forestMean[i] as number) + (1 - w) * (logit[i] as number));
}

describe('compiled ensemble (typed arrays, no training library)', () => {
  const market = syntheticMarket({ rows: 900, noiseFeatures: 6, seed: 3, warmupRows: 30 });
  const names = market.matrix.names;
  const artifact = trainModel(market.matrix, market.closes, {
    featureNames: names,
    fromRow: 0,
    toRow: 600,
    seed: 5,
    createdAtMs: 0,
    ensemble: { trees: 12, rowsPerTree: 150, featuresPerTree: 4, maxDepth: 4, minLeafRows: 10, logisticSteps: 25 },
  });
  const params = ensembleParamsSchema.parse(artifact.models);

  it("gives the libraries' probabilities to the last bit, row by row and in batch", () => {
    const columns = featureColumns(market.matrix, names);
    const rows: number[][] = [];
    for (let t = 30; t < 900; t += 1)
      rows.push(
        scaleRow(
          artifact.scaler,
          columns.map((c) => c[t] as number),
          params.config.zClip,
        ),
      );
    const expected = libraryPredict(params, rows);
    const compiled = compileEnsemble(params, names.length);
    expect(Array.from(compiled.predict(Float64Array.from(rows.flat()), rows.length))).toEqual(expected);
    const model = loadModel(artifact, names);
    const batch = model.predictRows(market.matrix, 0, 900);
    expect(Array.from(batch.subarray(30))).toEqual(expected);
    expect(Array.from(batch.subarray(0, 30)).every(Number.isNaN)).toBe(true);
    const features = Object.fromEntries(names.map((n) => [n, market.matrix.columns[n]![500]!]));
    expect(model.predictProbabilityUp(features)).toBe(expected[500 - 30]);
  });

  it('refuses parameters that do not describe a tree over the row (a split column out of range, a missing child, short weights)', () => {
    const broken = (edit: (p: EnsembleParams) => void) => {
      const copy = JSON.parse(JSON.stringify(params)) as EnsembleParams;
      edit(copy);
      return () => compileEnsemble(copy, names.length);
    };
    expect(broken((p) => ((p.forest[0]!.tree.root as Record<string, unknown>).splitColumn = 99))).toThrow(RangeError);
    expect(broken((p) => delete (p.forest[0]!.tree.root as Record<string, unknown>).left)).toThrow(RangeError);
    expect(broken((p) => (p.logistic.classifiers[0] as { weights: number[][] }).weights[0]!.pop())).toThrow(RangeError);
    expect(broken(() => undefined)).not.toThrow();
  });
});
