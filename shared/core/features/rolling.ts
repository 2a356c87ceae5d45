/**
 * Window statistics over Float64Array columns. Every value at row i reads rows i-w+1..i only and
 * is computed directly from its window (no running sums), so the result does not depend on where
 * the series starts. A NaN inside the window gives NaN. `from`: rows before it are left NaN (not needed).
 */
export function nanColumn(length: number): Float64Array {
  return new Float64Array(length).fill(Number.NaN);
}

export function lag(x: Float64Array, k: number): Float64Array {
  const out = nanColumn(x.length);
  for (let i = k; i < x.length; i += 1) out[i] = x[i - k] as number;
  return out;
}

export function rollingSum(x: Float64Array, w: number, from = 0): Float64Array {
  const out = nanColumn(x.length);
  for (let i = Math.max(w - 1, from); i < x.length; i += 1) {
    let s = 0;
    for (let j = i - w + 1; j <= i; j += 1) s += x[j] as number;
    out[i] = s;
  }
  return out;
}

export function rollingMean(x: Float64Array, w: number, from = 0): Float64Array {
  const out = rollingSum(x, w, from);
  for (let i = 0; i < out.length; i += 1) out[i] = (out[i] as number) / w;
  return out;
}

/** Population standard deviation (two-pass). */
export function rollingSd(x: Float64Array, w: number, from = 0): Float64Array {
  const out = nanColumn(x.length);
  for (let i = Math.max(w - 1, from); i < x.length; i += 1) out[i] = windowMoments(x, i, w).sd;
  return out;
}

/** (x - mean) / sd over the window; 0 when the window is constant (the value equals its mean). */
export function rollingZscore(x: Float64Array, w: number, from = 0): Float64Array {
  const out = nanColumn(x.length);
  for (let i = Math.max(w - 1, from); i < x.length; i += 1) {
    const { mean, sd } = windowMoments(x, i, w);
    const v = x[i] as number;
    out[i] = sd > 0 ? (v - mean) / sd : Number.isFinite(sd) ? 0 : Number.NaN;
  }
  return out;
}

export function rollingMax(x: Float64Array, w: number, from = 0): Float64Array {
  return rollingExtreme(x, w, 1, from);
}

export function rollingMin(x: Float64Array, w: number, from = 0): Float64Array {
  return rollingExtreme(x, w, -1, from);
}

function rollingExtreme(x: Float64Array, w: number, sign: 1 | -1, from: number): Float64Array {
  // Monotonic deque of indices (O(n), exact); a NaN blocks rows until it leaves the window.
  const out = nanColumn(x.length);
  const start = Math.max(0, Math.max(w - 1, from) - w + 1);
  const deque = new Int32Array(x.length);
  let head = 0;
  let tail = 0;
  let lastNaN = -1;
  for (let i = start; i < x.length; i += 1) {
    const v = x[i] as number;
    if (Number.isNaN(v)) lastNaN = i;
    else {
      while (tail > head && sign * (x[deque[tail - 1] as number] as number) <= sign * v) tail -= 1;
      deque[tail] = i;
      tail += 1;
    }
    while (tail > head && (deque[head] as number) <= i - w) head += 1;
    if (i >= w - 1 && i >= from && lastNaN <= i - w && tail > head) out[i] = x[deque[head] as number] as number;
  }
  return out;
}

/** Share of the window's values <= the current one, in (0, 1]. */
export function rollingPercentile(x: Float64Array, w: number, from = 0): Float64Array {
  const out = nanColumn(x.length);
  for (let i = Math.max(w - 1, from); i < x.length; i += 1) {
    const v = x[i] as number;
    let count = 0;
    let sawNaN = Number.isNaN(v);
    for (let j = i - w + 1; j <= i; j += 1) {
      const u = x[j] as number;
      if (Number.isNaN(u)) sawNaN = true;
      else if (u <= v) count += 1;
    }
    out[i] = sawNaN ? Number.NaN : count / w;
  }
  return out;
}

/** Population skewness and excess kurtosis of the window ending at each row. */
export function rollingShape(x: Float64Array, w: number, from = 0): { skew: Float64Array; kurtosis: Float64Array } {
  const skew = nanColumn(x.length);
  const kurtosis = nanColumn(x.length);
  for (let i = Math.max(w - 1, from); i < x.length; i += 1) {
    const { mean, sd } = windowMoments(x, i, w);
    let m3 = 0;
    let m4 = 0;
    for (let j = i - w + 1; j <= i; j += 1) {
      const d = (x[j] as number) - mean;
      m3 += d * d * d;
      m4 += d * d * d * d;
    }
    const v2 = sd * sd;
    skew[i] = sd > 0 ? m3 / w / (v2 * sd) : Number.NaN;
    kurtosis[i] = sd > 0 ? m4 / w / (v2 * v2) - 3 : Number.NaN;
  }
  return { skew, kurtosis };
}

/** Pearson correlation of x with x one row earlier, over `w` pairs ending at each row. */
export function rollingLag1Autocorr(x: Float64Array, w: number, from = 0): Float64Array {
  const out = nanColumn(x.length);
  for (let i = Math.max(w, from); i < x.length; i += 1) {
    let ma = 0;
    let mb = 0;
    for (let j = i - w + 1; j <= i; j += 1) {
      ma += x[j] as number;
      mb += x[j - 1] as number;
    }
    ma /= w;
    mb /= w;
    let sab = 0;
    let saa = 0;
    let sbb = 0;
    for (let j = i - w + 1; j <= i; j += 1) {
      const a = (x[j] as number) - ma;
      const b = (x[j - 1] as number) - mb;
      sab += a * b;
      saa += a * a;
      sbb += b * b;
    }
    out[i] = saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : Number.NaN;
  }
  return out;
}

function windowMoments(x: Float64Array, i: number, w: number): { mean: number; sd: number } {
  let s = 0;
  for (let j = i - w + 1; j <= i; j += 1) s += x[j] as number;
  const mean = s / w;
  let ss = 0;
  for (let j = i - w + 1; j <= i; j += 1) {
    const d = (x[j] as number) - mean;
    ss += d * d;
  }
  return { mean, sd: Math.sqrt(ss / w) };
}
