/**
 * label[t] = 1 when close[t + h] / close[t] - 1 > costThreshold, else 0; NaN when t + h is past
 * the last close (the future is unknown). A label at t uses closes up to t + h only: a model
 * trained on rows [a, b) has seen closes up to b - 1 + h, so its first honest test row is b + h - 1
 * (walkForward uses b + gap with gap = h).
 */
export function buildLabels(closes: ArrayLike<number>, horizonBars: number, costThreshold: number): Float64Array {
  if (!Number.isInteger(horizonBars) || horizonBars < 1)
    throw new RangeError(`horizonBars must be a positive integer, got ${horizonBars}`);
  const labels = new Float64Array(closes.length).fill(Number.NaN);
  for (let t = 0; t + horizonBars < closes.length; t += 1) {
    const now = closes[t] as number;
    const later = closes[t + horizonBars] as number;
    if (now > 0 && Number.isFinite(later)) labels[t] = later / now - 1 > costThreshold ? 1 : 0;
  }
  return labels;
}
