import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Candle } from '../../shared/core/candle.js';
import { MACRO_SERIES, type MacroData, type MacroSeriesName } from '../../shared/core/macro.js';

export class CsvError extends Error {}

/**
 * Reads `open_time_ms,open,high,low,close,volume` (ascending) and scales prices by `quotePerUsd`
 * (1 for a JPY file; about 150 for the shared USD(T) files). Every row is checked; a bad row is
 * an error naming its line, never skipped.
 */
export function readCandlesCsv(path: string, options: { quotePerUsd?: number } = {}): Candle[] {
  return parseCandlesCsv(readFileSync(path, 'utf8'), options);
}

export function parseCandlesCsv(text: string, options: { quotePerUsd?: number } = {}): Candle[] {
  const scale = options.quotePerUsd ?? 1;
  if (!(scale > 0) || !Number.isFinite(scale))
    throw new CsvError(`quotePerUsd must be a positive number, got ${scale}`);
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines[0]?.trim() !== 'open_time_ms,open,high,low,close,volume')
    throw new CsvError('candle CSV must start with the header open_time_ms,open,high,low,close,volume');
  const candles: Candle[] = [];
  for (let i = 1; i < lines.length; i += 1) {
    const cells = (lines[i] as string).split(',');
    const values = cells.map(Number);
    if (cells.length !== 6 || values.some((v) => !Number.isFinite(v)))
      throw new CsvError(`line ${i + 1}: expected 6 numbers, got "${lines[i]}"`);
    const [openTimeMs, open, high, low, close, volume] = values as [number, number, number, number, number, number];
    if (!Number.isInteger(openTimeMs)) throw new CsvError(`line ${i + 1}: open_time_ms must be an integer`);
    const previous = candles[candles.length - 1];
    if (previous && openTimeMs <= previous.openTimeMs) throw new CsvError(`line ${i + 1}: times must ascend`);
    candles.push({
      openTimeMs,
      open: open * scale,
      high: high * scale,
      low: low * scale,
      close: close * scale,
      volume,
    });
  }
  return candles;
}

/** Reads the macro folder (laid out like data/macro/); a series whose file is absent is left out. */
export function readMacroDir(dir: string): MacroData {
  const files = new Set(readdirSync(dir));
  const data: MacroData = {};
  for (const [name, spec] of Object.entries(MACRO_SERIES) as Array<
    [MacroSeriesName, (typeof MACRO_SERIES)[MacroSeriesName]]
  >) {
    if (!files.has(spec.file)) continue;
    const lines = readFileSync(join(dir, spec.file), 'utf8')
      .split(/\r?\n/)
      .filter((l) => l.trim() !== '');
    const header = lines[0]?.split(',') ?? [];
    const valueColumn = header.indexOf(name === 'fearGreed' ? 'value' : 'close');
    if (header[0] !== 'date' || valueColumn < 0) throw new CsvError(`${spec.file}: unexpected header ${lines[0]}`);
    const points = lines.slice(1).map((line, i) => {
      const cells = line.split(',');
      const value = Number(cells[valueColumn]);
      const date = cells[0] ?? '';
      if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !Number.isFinite(value))
        throw new CsvError(`${spec.file} line ${i + 2}: bad row "${line}"`);
      return { date, value };
    });
    data[name] = { name, points };
  }
  return data;
}
