import { dailySummarySlot, summarizeDay } from '../../core/notify/daily-summary.js';
import { dailySummaryEvent } from '../../core/notify/events.js';
import { incidents } from '../../store/incident-collections.js';
import { outbox } from '../../store/outbox-collections.js';
import { enqueueEvent } from '../../store/outbox.js';
import { KILL_SWITCH_DOC, equity, killSwitch, positions, trades } from '../../store/tick-collections.js';
import type { NotifyDeps } from './notify-deps.js';

const DAY_MS = 86_400_000;

/**
 * Puts the daily summary in the outbox once its hour has passed (`daily-summary_<day>`: once per
 * day, whichever run gets there first). Only when the bot ran before the summary time: a fresh
 * deployment or a replay does not summarise the day before it started. Returns the day when created.
 */
export async function ensureDailySummary(deps: NotifyDeps, nowMs: number): Promise<string | undefined> {
  const { store, settings } = deps;
  const slot = dailySummarySlot(nowMs, settings.dailySummaryHourUtc);
  const eventId = `daily-summary_${slot.day}`;
  if (await store.get(outbox, eventId)) return undefined;
  const [lastEquity] = await store.list(equity, {
    where: [['atMs', '<', slot.atMs]],
    orderBy: { field: 'atMs', direction: 'desc' },
    limit: 1,
  });
  if (!lastEquity) return undefined;
  const [recent, open, openIncidents, kill] = await Promise.all([
    store.list(trades, { where: [['exitTimeMs', '>=', slot.atMs - 30 * DAY_MS]] }),
    store.list(positions, { where: [['pair', '==', settings.pair]] }),
    store.list(incidents, { where: [['status', '==', 'open']] }),
    store.get(killSwitch, KILL_SWITCH_DOC),
  ]);
  const position = open[0]?.data;
  const data = summarizeDay({
    day: slot.day,
    atMs: slot.atMs,
    mode: settings.mode,
    trades: recent.map((d) => d.data),
    equity: lastEquity.data,
    position: position
      ? { side: position.side, amountBtc: position.amountBtc, entryPriceJpy: position.entryPriceJpy }
      : null,
    openIncidents: [...new Set(openIncidents.map((d) => d.data.code))],
    killSwitch: kill?.active ?? false,
  });
  return (await enqueueEvent(store, dailySummaryEvent(data, slot.atMs))) ? slot.day : undefined;
}
