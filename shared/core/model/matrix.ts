import { StrategyError } from '../errors.js';
import type { FeatureMatrix } from './types.js';

/** Rows [fromRow, toRow) of a matrix as views (no copy): features keep the values computed over the full history. */
export function sliceMatrix(matrix: FeatureMatrix, fromRow: number, toRow: number): FeatureMatrix {
  const columns: Record<string, Float64Array> = {};
  for (const [name, column] of Object.entries(matrix.columns)) columns[name] = column.subarray(fromRow, toRow);
  return { names: matrix.names, openTimeMs: matrix.openTimeMs.subarray(fromRow, toRow), columns };
}

/** The named columns, in order; a name the matrix lacks is MODEL.FEATURE_MISMATCH. */
export function featureColumns(matrix: FeatureMatrix, names: readonly string[]): Float64Array[] {
  if (names.length === 0) throw new StrategyError('MODEL.FEATURE_MISMATCH', 'no feature names given');
  const missing = names.filter((n) => matrix.columns[n] === undefined);
  if (missing.length > 0) {
    throw new StrategyError(
      'MODEL.FEATURE_MISMATCH',
      `features not in the matrix: ${missing.slice(0, 10).join(', ')}`,
      { details: { missing } },
    );
  }
  return names.map((n) => matrix.columns[n] as Float64Array);
}
