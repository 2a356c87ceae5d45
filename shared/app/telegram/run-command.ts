import { CONFIRM_WINDOW_MS, parseCommand, type ParsedCommand } from '../../core/notify/commands.js';
import type { Locale } from '../../core/notify/events.js';
import { appendAudit } from '../../adapters/audit/audit-log.js';
import type { Clock } from '../../ports/clock.port.js';
import type { Logger } from '../../ports/logger.port.js';
import type { Store } from '../../ports/store.port.js';
import { incidents } from '../../store/incident-collections.js';
import { writeKillSwitch } from '../../store/kill-switch-write.js';
import { telegramConfirmations } from '../../store/telegram-collections.js';
import { KILL_SWITCH_DOC, equity, killSwitch, positions, ticks, trades } from '../../store/tick-collections.js';
import { wordsFor, type Words } from './answers.js';

const DAY_MS = 86_400_000;

/** What a command may use: the store and the clock. No exchange: no command can place an order. */
export interface CommandDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly settings: { readonly mode: 'paper' | 'live'; readonly pair: string; readonly locale: Locale };
}

/** Runs one command from an allowed chat, audits it with the chat id, and returns the answer text. */
export async function runCommand(
  deps: CommandDeps,
  chatId: string,
  text: string,
): Promise<{ command: string; answer: string }> {
  const command = parseCommand(text);
  const w = wordsFor(deps.settings.locale);
  const nowMs = deps.clock.nowMs();
  const actor = `telegram:${chatId}`;
  const { answer, outcome } = await answerFor(deps, command, w, actor, chatId, nowMs);
  await appendAudit(deps.store, {
    kind: 'remote-command',
    atMs: nowMs,
    actor,
    details: {
      command: command.name,
      ...('reason' in command ? { reason: command.reason } : {}),
      ...('count' in command ? { count: command.count } : {}),
      outcome,
    },
  });
  deps.logger.info('telegram command answered', { code: 'TELEGRAM.COMMAND', command: command.name, chatId, outcome });
  return { command: command.name, answer };
}

async function answerFor(
  deps: CommandDeps,
  command: ParsedCommand,
  w: Words,
  actor: string,
  chatId: string,
  nowMs: number,
): Promise<{ answer: string; outcome: string }> {
  const { store, settings } = deps;
  switch (command.name) {
    case 'help':
      return { answer: w.help, outcome: 'answered' };
    case 'unknown':
      return { answer: w.unknown(command.text), outcome: 'unknown-command' };
    case 'status': {
      const [position, last, kill, open] = await Promise.all([
        currentPosition(deps),
        lastTick(deps),
        store.get(killSwitch, KILL_SWITCH_DOC),
        openIncidents(deps),
      ]);
      return {
        answer: w.status({
          mode: settings.mode,
          position: w.position(position),
          lastTick: w.lastTick(last),
          killSwitch: kill?.active ?? false,
          incidents: open,
        }),
        outcome: 'answered',
      };
    }
    case 'health': {
      const [last, kill, open] = await Promise.all([
        lastTick(deps),
        store.get(killSwitch, KILL_SWITCH_DOC),
        openIncidents(deps),
      ]);
      return {
        answer: w.health({ lastTick: w.lastTick(last), incidents: open, killSwitch: kill?.active ?? false }),
        outcome: 'answered',
      };
    }
    case 'profit': {
      const all = (await store.list(trades, { where: [['pair', '==', settings.pair]] })).map((d) => d.data);
      const since = (fromMs: number): number =>
        all.filter((t) => t.exitTimeMs >= fromMs).reduce((s, t) => s + t.pnlJpy, 0);
      return {
        answer: w.profit({
          day: since(nowMs - DAY_MS),
          week: since(nowMs - 7 * DAY_MS),
          month: since(nowMs - 30 * DAY_MS),
          all: since(0),
          trades: all.length,
          wins: all.filter((t) => t.pnlJpy > 0).length,
        }),
        outcome: 'answered',
      };
    }
    case 'balance': {
      const [last] = await store.list(equity, { orderBy: { field: 'atMs', direction: 'desc' }, limit: 1 });
      return {
        answer: w.balance(
          last ? { equityJpy: last.data.equityJpy, peakJpy: last.data.peakJpy, atMs: last.data.atMs } : null,
        ),
        outcome: 'answered',
      };
    }
    case 'trades': {
      const recent = await store.list(trades, {
        orderBy: { field: 'exitTimeMs', direction: 'desc' },
        limit: command.count,
      });
      return { answer: w.trades(recent.map((d) => w.tradeLine(d.data))), outcome: 'answered' };
    }
    case 'stopentry': {
      if (command.reason === '') return { answer: w.stopentryUsage, outcome: 'refused: no reason' };
      await writeKillSwitch(store, { active: true, reason: command.reason, setBy: actor, setAtMs: nowMs });
      await appendAudit(store, {
        kind: 'kill-switch',
        atMs: nowMs,
        actor,
        details: { active: true, reason: command.reason, via: 'telegram' },
      });
      return { answer: w.stopped(command.reason), outcome: 'kill switch on' };
    }
    case 'resume': {
      const kill = await store.get(killSwitch, KILL_SWITCH_DOC);
      if (kill && !kill.active) return { answer: w.alreadyRunning, outcome: 'already off' };
      await store.set(telegramConfirmations, chatId, {
        command: 'resume',
        askedAtMs: nowMs,
        expiresAtMs: nowMs + CONFIRM_WINDOW_MS,
      });
      return { answer: w.confirmAsk(CONFIRM_WINDOW_MS / 60_000), outcome: 'confirmation asked' };
    }
    case 'confirm': {
      const pending = await store.get(telegramConfirmations, chatId);
      if (!pending || pending.expiresAtMs < nowMs) return { answer: w.nothingToConfirm, outcome: 'nothing to confirm' };
      await store.delete(telegramConfirmations, chatId);
      await writeKillSwitch(store, {
        active: false,
        reason: 'resumed from Telegram (confirmed)',
        setBy: actor,
        setAtMs: nowMs,
      });
      await appendAudit(store, {
        kind: 'kill-switch',
        atMs: nowMs,
        actor,
        details: { active: false, reason: 'resumed from Telegram (confirmed)', via: 'telegram' },
      });
      return { answer: w.resumed, outcome: 'kill switch off' };
    }
  }
}

async function currentPosition(deps: CommandDeps) {
  const [p] = (await deps.store.list(positions, { where: [['pair', '==', deps.settings.pair]] })).map((d) => d.data);
  return p
    ? {
        side: p.side,
        amountBtc: p.amountBtc,
        entryPriceJpy: p.entryPriceJpy,
        stop: p.stopPriceJpy ? `¥${Number(p.stopPriceJpy).toLocaleString('en-US')}` : '-',
        takeProfit: p.takeProfitPriceJpy ? `¥${Number(p.takeProfitPriceJpy).toLocaleString('en-US')}` : '-',
      }
    : null;
}

async function lastTick(deps: CommandDeps) {
  const [t] = (await deps.store.list(ticks, { orderBy: { field: 'barOpenMs', direction: 'desc' }, limit: 1 })).map(
    (d) => d.data,
  );
  return t ? { barMs: t.barOpenMs, outcome: t.outcome ?? t.status, code: t.code ?? '-' } : null;
}

async function openIncidents(deps: CommandDeps): Promise<string[]> {
  return [
    ...new Set((await deps.store.list(incidents, { where: [['status', '==', 'open']] })).map((d) => d.data.code)),
  ].sort();
}
