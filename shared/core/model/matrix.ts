import type { FeatureMatrix } from './types.js';

/** Rows [fromRow, toRow) of a matrix as views (no copy): features keep the values computed over the full history. */
export function sliceMatrix(matrix: FeatureMatrix, fromRow: number, toRow: number): FeatureMatrix {
  const columns: Record<string, Float64Array> = {};
  for (const [name, column] of Object.entries(matrix.columns)) columns[name] = column.subarray(fromRow, toRow);
  return { names: matrix.names, openTimeMs: matrix.openTimeMs.subarray(fromRow, toRow), columns };
}
