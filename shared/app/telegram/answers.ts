import type { Locale } from '../../core/notify/events.js';
import { exitReasonJa, jpy, jstTime, utcTime } from '../../core/notify/messages.js';

/** The words of the Telegram answers, in English and Japanese (one deployment, one NOTIFY_LOCALE). */
export interface Words {
  time(ms: number): string;
  help: string;
  unknown(text: string): string;
  status(s: {
    mode: string;
    position: string;
    lastTick: string;
    killSwitch: boolean;
    incidents: readonly string[];
  }): string;
  position(
    p: { side: 'long' | 'short'; amountBtc: string; entryPriceJpy: number; stop: string; takeProfit: string } | null,
  ): string;
  lastTick(t: { barMs: number; outcome: string; code: string } | null): string;
  profit(p: { day: number; week: number; month: number; all: number; trades: number; wins: number }): string;
  balance(b: { equityJpy: number; peakJpy: number; atMs: number } | null): string;
  trades(lines: readonly string[]): string;
  tradeLine(t: {
    exitTimeMs: number;
    side: 'long' | 'short';
    amountBtc: string;
    pnlJpy: number;
    exitReason: string;
  }): string;
  health(h: { lastTick: string; incidents: readonly string[]; killSwitch: boolean }): string;
  stopentryUsage: string;
  stopped(reason: string): string;
  alreadyRunning: string;
  confirmAsk(minutes: number): string;
  nothingToConfirm: string;
  resumed: string;
}

const SIDE_JA = { long: 'ロング', short: 'ショート' } as const;

const en: Words = {
  time: utcTime,
  help: [
    'Commands:',
    '/status: mode, position, stops, last tick, health',
    '/profit: P&L by day, week, month and since start',
    '/balance: equity at the last tick',
    '/trades [n]: the last n closed trades (default 5, at most 20)',
    '/health: last tick, open incidents, kill switch',
    '/stopentry <reason>: kill switch ON (no new entries; exits and stops still run)',
    '/resume: kill switch OFF (asks for /confirm)',
    '/help: this list',
    'No command can place an order.',
  ].join('\n'),
  unknown: (text) => `Unknown command ${text}. /help lists the commands.`,
  status: (s) =>
    [
      `Mode: ${s.mode}`,
      `Position: ${s.position}`,
      `Last tick: ${s.lastTick}`,
      `Kill switch: ${s.killSwitch ? 'ON (no new entries)' : 'off'}`,
      `Health: ${s.incidents.length === 0 ? 'ok' : `open incidents ${s.incidents.join(', ')}`}`,
    ].join('\n'),
  position: (p) =>
    p
      ? `${p.side.toUpperCase()} ${p.amountBtc} BTC @ ${jpy(p.entryPriceJpy)} · stop ${p.stop} · take-profit ${p.takeProfit}`
      : 'flat',
  lastTick: (t) => (t ? `${utcTime(t.barMs)} ${t.outcome} (${t.code})` : 'none yet'),
  profit: (p) =>
    [
      `P&L 24h ${jpy(p.day, true)}`,
      `7 days ${jpy(p.week, true)}`,
      `30 days ${jpy(p.month, true)}`,
      `Since start ${jpy(p.all, true)} over ${p.trades} trades (${p.wins} won)`,
    ].join('\n'),
  balance: (b) =>
    b ? `Equity ${jpy(b.equityJpy)} (peak ${jpy(b.peakJpy)}) at ${utcTime(b.atMs)}` : 'No equity recorded yet.',
  trades: (lines) => (lines.length === 0 ? 'No closed trades yet.' : ['Last trades:', ...lines].join('\n')),
  tradeLine: (t) =>
    `${utcTime(t.exitTimeMs)} ${t.side.toUpperCase()} ${t.amountBtc} BTC ${jpy(t.pnlJpy, true)} (${t.exitReason})`,
  health: (h) =>
    [
      `Last tick: ${h.lastTick}`,
      `Open incidents: ${h.incidents.length === 0 ? 'none' : h.incidents.join(', ')}`,
      `Kill switch: ${h.killSwitch ? 'ON' : 'off'}`,
    ].join('\n'),
  stopentryUsage: 'Usage: /stopentry <reason> (the reason is recorded with your chat id).',
  stopped: (reason) => `Kill switch ON: no new entries. Exits and stops still run. Reason: ${reason}`,
  alreadyRunning: 'The kill switch is already off: entries are allowed.',
  confirmAsk: (minutes) => `Resume new entries? Reply /confirm within ${minutes} minutes.`,
  nothingToConfirm: 'Nothing to confirm (or it expired): send /resume first.',
  resumed: 'Kill switch OFF: new entries allowed again.',
};

const ja: Words = {
  time: jstTime,
  help: [
    'コマンド一覧:',
    '/status: モード・建玉・損切り・直近のティック・状態',
    '/profit: 日・週・月・開始以来の損益',
    '/balance: 直近ティック時点の資産',
    '/trades [n]: 直近 n 件の決済（既定 5、最大 20）',
    '/health: 直近のティック・未解決インシデント・キルスイッチ',
    '/stopentry <理由>: キルスイッチ ON（新規エントリー停止。決済と損切りは継続）',
    '/resume: キルスイッチ OFF（/confirm で確定）',
    '/help: この一覧',
    '注文を出すコマンドはありません。',
  ].join('\n'),
  unknown: (text) => `不明なコマンドです: ${text}。/help で一覧を表示します。`,
  status: (s) =>
    [
      `モード: ${s.mode === 'live' ? '本番' : 'ペーパー'}`,
      `建玉: ${s.position}`,
      `直近のティック: ${s.lastTick}`,
      `キルスイッチ: ${s.killSwitch ? 'ON（新規エントリー停止中）' : 'OFF'}`,
      `状態: ${s.incidents.length === 0 ? '正常' : `未解決インシデント ${s.incidents.join(', ')}`}`,
    ].join('\n'),
  position: (p) =>
    p
      ? `${SIDE_JA[p.side]} ${p.amountBtc} BTC @ ${jpy(p.entryPriceJpy)}・損切り ${p.stop}・利確 ${p.takeProfit}`
      : 'なし',
  lastTick: (t) => (t ? `${jstTime(t.barMs)} ${t.outcome}（${t.code}）` : 'まだありません'),
  profit: (p) =>
    [
      `損益 24時間 ${jpy(p.day, true)}`,
      `7日 ${jpy(p.week, true)}`,
      `30日 ${jpy(p.month, true)}`,
      `開始以来 ${jpy(p.all, true)}（${p.trades} 取引・${p.wins} 勝）`,
    ].join('\n'),
  balance: (b) =>
    b ? `資産 ${jpy(b.equityJpy)}（最高 ${jpy(b.peakJpy)}）${jstTime(b.atMs)} 時点` : '資産の記録がまだありません。',
  trades: (lines) => (lines.length === 0 ? '決済済みの取引はまだありません。' : ['直近の取引:', ...lines].join('\n')),
  tradeLine: (t) =>
    `${jstTime(t.exitTimeMs)} ${SIDE_JA[t.side]} ${t.amountBtc} BTC ${jpy(t.pnlJpy, true)}` +
    `（${exitReasonJa(t.exitReason)}）`,
  health: (h) =>
    [
      `直近のティック: ${h.lastTick}`,
      `未解決インシデント: ${h.incidents.length === 0 ? 'なし' : h.incidents.join(', ')}`,
      `キルスイッチ: ${h.killSwitch ? 'ON' : 'OFF'}`,
    ].join('\n'),
  stopentryUsage: '使い方: /stopentry <理由>（理由はチャット ID と共に記録されます）',
  stopped: (reason) => `キルスイッチ ON: 新規エントリーを停止しました。決済と損切りは継続します。理由: ${reason}`,
  alreadyRunning: 'キルスイッチは既に OFF です（エントリー可能）。',
  confirmAsk: (minutes) => `新規エントリーを再開しますか？ ${minutes} 分以内に /confirm と返信してください。`,
  nothingToConfirm: '確認待ちのコマンドがありません（または期限切れ）。先に /resume を送ってください。',
  resumed: 'キルスイッチ OFF: 新規エントリーを再開しました。',
};

export function wordsFor(locale: Locale): Words {
  return locale === 'ja' ? ja : en;
}
