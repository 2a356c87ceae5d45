import type { EnsembleParams } from './ensemble-params.js';

/**
 * The ensemble's prediction without its training libraries: the trees flattened into typed arrays
 * (one node per index, children by index) and the logistic weights as one vector, evaluated over
 * a row-major block of scaled rows. Same arithmetic, in the same order, as ml-cart's
 * `classify` (`x < split` goes left) and ml-logistic-regression's `testScores` (bias first,
 * then sigmoid), so the probabilities are the libraries' to the last bit (predict.test.ts).
 */
export interface CompiledEnsemble {
  readonly width: number;
  /** Probabilities for `rows` rows of `width` scaled values each, row-major. */
  predict(scaled: Float64Array, rows: number): Float64Array;
}

interface FlatTree {
  /** Global feature index of an internal node's split; -1 at a leaf. */
  readonly feature: Int32Array;
  readonly split: Float64Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  /** The leaf's value (the share of "up" rows). */
  readonly value: Float64Array;
}

type Node = { splitColumn?: unknown; splitValue?: unknown; left?: unknown; right?: unknown; distribution?: unknown };

function flatten(root: Node, features: readonly number[], width: number): FlatTree {
  const nodes: Array<{ feature: number; split: number; left: number; right: number; value: number }> = [];
  const visit = (node: Node, depth: number): number => {
    if (depth > 64) throw new RangeError('tree deeper than 64 levels');
    const index = nodes.length;
    if (typeof node.distribution === 'number') {
      nodes.push({ feature: -1, split: 0, left: -1, right: -1, value: node.distribution });
      return index;
    }
    const column = node.splitColumn;
    const split = node.splitValue;
    if (typeof column !== 'number' || !Number.isInteger(column) || column < 0 || column >= features.length)
      throw new RangeError(`bad split column ${String(column)}`);
    if (typeof split !== 'number' || Number.isNaN(split)) throw new RangeError(`bad split value ${String(split)}`);
    if (typeof node.left !== 'object' || node.left === null || typeof node.right !== 'object' || node.right === null)
      throw new RangeError('internal node without two children');
    const feature = features[column] as number;
    if (feature >= width) throw new RangeError(`feature ${feature} outside the row`);
    nodes.push({ feature, split, left: -1, right: -1, value: Number.NaN });
    const left = visit(node.left as Node, depth + 1);
    const right = visit(node.right as Node, depth + 1);
    const me = nodes[index] as (typeof nodes)[number];
    me.left = left;
    me.right = right;
    return index;
  };
  visit(root, 0);
  return {
    feature: Int32Array.from(nodes, (n) => n.feature),
    split: Float64Array.from(nodes, (n) => n.split),
    left: Int32Array.from(nodes, (n) => n.left),
    right: Int32Array.from(nodes, (n) => n.right),
    value: Float64Array.from(nodes, (n) => n.value),
  };
}

/** Throws a RangeError when the parameters do not describe a forest and a logistic regression over `width` features. */
export function compileEnsemble(params: EnsembleParams, width: number): CompiledEnsemble {
  const trees = params.forest.map((f) => flatten(f.tree.root as Node, f.features, width));
  const up = params.logistic.classifiers[0] as { weights?: unknown } | undefined;
  const row = Array.isArray(up?.weights) ? (up.weights[0] as unknown) : undefined;
  if (!Array.isArray(row) || row.length !== width + 1 || !row.every((w) => typeof w === 'number' && Number.isFinite(w)))
    throw new RangeError('logistic weights do not match the features');
  const weights = Float64Array.from(row as number[]);
  const forestShare = trees.length > 0 ? params.config.forestWeight : 0;
  const treeCount = trees.length;
  return {
    width,
    predict(scaled, rows) {
      if (scaled.length < rows * width)
        throw new RangeError(`${rows} rows need ${rows * width} values, got ${scaled.length}`);
      const forestMean = new Float64Array(rows);
      for (const t of trees) {
        const { feature, split, left, right, value } = t;
        for (let i = 0; i < rows; i += 1) {
          const base = i * width;
          let n = 0;
          let f = feature[0] as number;
          while (f >= 0) {
            n = (scaled[base + f] as number) < (split[n] as number) ? (left[n] as number) : (right[n] as number);
            f = feature[n] as number;
          }
          forestMean[i] = (forestMean[i] as number) + (value[n] as number) / treeCount;
        }
      }
      const out = new Float64Array(rows);
      for (let i = 0; i < rows; i += 1) {
        const base = i * width;
        let s = (weights[0] as number) * 1;
        for (let j = 0; j < width; j += 1) s += (scaled[base + j] as number) * (weights[j + 1] as number);
        const logit = 1 / (1 + Math.exp(-s));
        out[i] = forestShare * (forestMean[i] as number) + (1 - forestShare) * logit;
      }
      return out;
    },
  };
}
