import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { parseCandlesCsv, readCandlesCsv, readMacroDir, CsvError } from './csv.js';

const dataDir = fileURLToPath(new URL('../../data/', import.meta.url));

describe('candle CSV', () => {
  it('reads the shared Binance file: 45,024 ascending hourly rows, scaled on request', () => {
    const candles = readCandlesCsv(`${dataDir}candles/binance-btcusdt-1h-2017-2022.csv`, { quotePerUsd: 150 });
    expect(candles).toHaveLength(45_024);
    expect(candles[0]).toEqual({
      openTimeMs: 1502942400000,
      open: 4261.48 * 150,
      high: 4313.62 * 150,
      low: 4261.32 * 150,
      close: 4308.83 * 150,
      volume: 47.181009,
    });
  });

  it.each([
    ['wrong header', 'time,o,h,l,c,v\n1,1,1,1,1,1'],
    ['too few cells', 'open_time_ms,open,high,low,close,volume\n1,1,1,1,1'],
    ['not a number', 'open_time_ms,open,high,low,close,volume\n1,1,x,1,1,1'],
    ['descending', 'open_time_ms,open,high,low,close,volume\n2,1,1,1,1,1\n1,1,1,1,1,1'],
  ])('rejects %s with the line named', (_name, text) => {
    expect(() => parseCandlesCsv(text)).toThrow(CsvError);
  });
});

describe('macro folder', () => {
  it('reads every series of data/macro', () => {
    const macro = readMacroDir(`${dataDir}macro`);
    expect(Object.keys(macro).sort()).toEqual(['dollarIndex', 'fearGreed', 'shortRate', 'treasury10y', 'vix']);
    expect(macro.vix?.points[0]).toEqual({ date: '2000-01-03', value: 24.21 });
    expect(macro.fearGreed?.points.length).toBe(2644);
  });
});
