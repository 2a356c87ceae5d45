/** Daily macro series the features read. Values are known at the end of their day (see `closesAtUtcHour`). */
export const MACRO_SERIES = {
  vix: { yahooSymbol: '^VIX', file: 'vix-daily.csv', closesAtUtcHour: 22 },
  dollarIndex: { yahooSymbol: 'DX-Y.NYB', file: 'usd-broad-index-daily.csv', closesAtUtcHour: 22 },
  treasury10y: { yahooSymbol: '^TNX', file: 'us-treasury-10y-daily.csv', closesAtUtcHour: 22 },
  shortRate: { yahooSymbol: '^IRX', file: 'us-treasury-2y-daily.csv', closesAtUtcHour: 22 },
  fearGreed: { yahooSymbol: undefined, file: 'fear-greed-daily.csv', closesAtUtcHour: 0 },
} as const;

export type MacroSeriesName = keyof typeof MACRO_SERIES;
export const MACRO_SERIES_NAMES = Object.keys(MACRO_SERIES) as MacroSeriesName[];

export interface MacroPoint {
  /** The day the value belongs to, `YYYY-MM-DD` (UTC calendar date of the market day). */
  readonly date: string;
  readonly value: number;
}

/** One series, ascending by date, no duplicate dates. */
export interface MacroSeries {
  readonly name: MacroSeriesName;
  readonly points: readonly MacroPoint[];
}

export type MacroData = Partial<Record<MacroSeriesName, MacroSeries>>;
