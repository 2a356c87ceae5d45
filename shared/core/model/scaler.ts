/** Standardisation fitted on the training rows only, then frozen into the artifact. */
export interface Scaler {
  mean: number[];
  std: number[];
}

/** Mean and population std of each column; a constant column gets std 1 (it then scales to 0). */
export function fitScaler(rows: readonly (readonly number[])[]): Scaler {
  const width = rows[0]?.length ?? 0;
  const mean = new Array<number>(width).fill(0);
  const std = new Array<number>(width).fill(0);
  if (rows.length === 0) throw new RangeError('cannot fit a scaler on zero rows');
  for (const row of rows)
    for (let j = 0; j < width; j += 1) mean[j] = (mean[j] as number) + (row[j] as number) / rows.length;
  for (const row of rows)
    for (let j = 0; j < width; j += 1)
      std[j] = (std[j] as number) + ((row[j] as number) - (mean[j] as number)) ** 2 / rows.length;
  for (let j = 0; j < width; j += 1) {
    const s = Math.sqrt(std[j] as number);
    std[j] = s > 1e-12 && Number.isFinite(s) ? s : 1;
  }
  return { mean, std };
}

/** (x - mean) / std, clipped to +-zClip so that one wild live value cannot saturate the model. */
export function scaleRow(scaler: Scaler, row: readonly number[], zClip: number): number[] {
  return row.map((x, j) =>
    Math.max(-zClip, Math.min(zClip, (x - (scaler.mean[j] as number)) / (scaler.std[j] as number))),
  );
}
