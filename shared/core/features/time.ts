import { DAY_MS, HOUR_MS } from '../candle.js';
import { mapColumns, type CandleColumns, type Columns } from './candle-columns.js';

/** Calendar features of the bar's open time, UTC. 1970-01-01 was a Thursday (weekday 3). */
export function timeFeatures(c: CandleColumns): Columns {
  const n = c.length;
  const hour = mapColumns(n, (i) => Math.floor((c.openTimeMs[i] as number) / HOUR_MS) % 24);
  return {
    hour_utc: hour,
    weekday_utc: mapColumns(n, (i) => (Math.floor((c.openTimeMs[i] as number) / DAY_MS) + 3) % 7),
    tokyo_session: mapColumns(n, (i) => ((hour[i] as number) < 6 ? 1 : 0)),
    us_session: mapColumns(n, (i) => ((hour[i] as number) >= 13 && (hour[i] as number) < 21 ? 1 : 0)),
  };
}
