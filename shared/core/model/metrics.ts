import type { ValidationMetrics } from './types.js';

const EPS = 1e-6;

/**
 * Out-of-sample quality of probabilities against 0/1 labels; pairs where either is NaN are left
 * out. AUC by ranks (ties averaged; undefined when one class is absent), log loss with
 * probabilities clipped to [1e-6, 1 - 1e-6], Brier score, accuracy at 0.5.
 */
export function classificationMetrics(probabilities: ArrayLike<number>, labels: ArrayLike<number>): ValidationMetrics {
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < probabilities.length; i += 1) {
    const p = probabilities[i] as number;
    const y = labels[i] as number;
    if (Number.isFinite(p) && (y === 0 || y === 1)) pairs.push([p, y]);
  }
  if (pairs.length === 0) return { rows: 0 };
  let logLoss = 0;
  let brier = 0;
  let correct = 0;
  for (const [p, y] of pairs) {
    const q = Math.min(1 - EPS, Math.max(EPS, p));
    logLoss -= y === 1 ? Math.log(q) : Math.log(1 - q);
    brier += (p - y) ** 2;
    if ((p > 0.5 ? 1 : 0) === y) correct += 1;
  }
  const n = pairs.length;
  const auc = rocAuc(pairs);
  return {
    ...(auc === undefined ? {} : { auc }),
    logLoss: logLoss / n,
    accuracy: correct / n,
    brier: brier / n,
    rows: n,
  };
}

function rocAuc(pairs: ReadonlyArray<readonly [number, number]>): number | undefined {
  const sorted = [...pairs].sort((a, b) => a[0] - b[0]);
  let positives = 0;
  let rankSumPositives = 0;
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j < sorted.length && (sorted[j] as [number, number])[0] === (sorted[i] as [number, number])[0]) j += 1;
    const averageRank = (i + 1 + j) / 2; // ranks i+1..j share their mean
    for (let k = i; k < j; k += 1) {
      if ((sorted[k] as [number, number])[1] === 1) {
        positives += 1;
        rankSumPositives += averageRank;
      }
    }
    i = j;
  }
  const negatives = sorted.length - positives;
  if (positives === 0 || negatives === 0) return undefined;
  return (rankSumPositives - (positives * (positives + 1)) / 2) / (positives * negatives);
}
