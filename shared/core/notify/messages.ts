import type { Locale, NotifyEvent } from './events.js';

/**
 * Renders an event as one plain-text message in English or Japanese (one deployment, one locale:
 * `NOTIFY_LOCALE`). Plain text on purpose: no Markdown/HTML escaping differences between
 * Discord, Slack and Telegram. Times: UTC in English, JST in Japanese. Pure.
 */
export function renderMessage(event: NotifyEvent, locale: Locale): string {
  return (locale === 'ja' ? renderJa(event) : renderEn(event)).slice(0, MAX_MESSAGE_CHARS);
}

/** Discord's content limit is 2,000 characters; Telegram's 4,096; Slack's is larger. */
export const MAX_MESSAGE_CHARS = 1_900;

const SIDE_JA = { long: 'ロング', short: 'ショート' } as const;
const REASON_JA: Record<string, string> = {
  signal: 'シグナル',
  stop: 'ストップ',
  'take-profit': '利確',
  'time-limit': '時間切れ',
  'kill-switch': 'キルスイッチ',
  reconcile: '照合',
};

/** An exit reason in Japanese (the code itself when it has no translation). */
export function exitReasonJa(reason: string): string {
  return REASON_JA[reason] ?? reason;
}

/** What the bot does after each kind of refusal (see placeProtective and closeUnprotected). */
const PROTECTIVE_EN = {
  stop: 'The position is being closed at market rather than left without its stop.',
  'take-profit': 'The position keeps its stop; the take-profit is tried again at the next tick.',
  close: 'The position is open WITHOUT a stop: a person must act (kill switch, close by hand).',
} as const;
const PURPOSE_JA = { stop: '損切り', 'take-profit': '利確' } as const;
const PROTECTIVE_JA = {
  stop: '損切りなしで放置せず、建玉を成行で決済します。',
  'take-profit': '損切り注文は残っています。利確注文は次のティックで再発注します。',
  close: '建玉は損切りなしで残っています。対応が必要です（キルスイッチ、手動決済）。',
} as const;

export function jpy(value: number, signed = false): string {
  const rounded = Math.round(value);
  const text = Math.abs(rounded).toLocaleString('en-US');
  const sign = rounded < 0 ? '-' : signed && rounded > 0 ? '+' : '';
  return `${sign}¥${text}`;
}

function price(value: number | string | null): string {
  return value === null ? '-' : jpy(Number(value));
}

function pct(fraction: number | null): string {
  return fraction === null ? '-' : `${(fraction * 100).toFixed(2)}%`;
}

export function utcTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function jstTime(ms: number): string {
  return `${new Date(ms + 9 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ').replace(/-/g, '/')} JST`;
}

function renderEn(e: NotifyEvent): string {
  switch (e.kind) {
    case 'position-opened': {
      const d = e.data;
      return [
        `🟢 Position opened: ${d.side.toUpperCase()} ${d.amountBtc} BTC (${d.pair})${d.adopted ? ' [found on the exchange]' : ''}`,
        `Entry ${price(d.entryPriceJpy)} · fee ${jpy(d.entryFeeJpy)}`,
        `Stop ${price(d.stopPriceJpy)} · take-profit ${price(d.takeProfitPriceJpy)}`,
        utcTime(e.atMs),
      ].join('\n');
    }
    case 'position-closed': {
      const d = e.data;
      return [
        `${d.pnlJpy >= 0 ? '✅' : '🔻'} Position closed: ${d.side.toUpperCase()} ${d.amountBtc} BTC (${d.pair}), exit: ${d.exitReason}`,
        `Entry ${price(d.entryPriceJpy)} → exit ${price(d.exitPriceJpy)}`,
        `P&L ${jpy(d.pnlJpy, true)} (fees ${jpy(d.feesJpy)}, interest ${jpy(d.interestJpy)})`,
        utcTime(e.atMs),
      ].join('\n');
    }
    case 'protective-failed': {
      const d = e.data;
      const what =
        d.purpose === 'close'
          ? `Closing the unprotected ${d.side} position`
          : `The ${d.purpose} of the ${d.side} position`;
      return [
        `⚠️ ${what} was refused by the exchange: ${d.code} ${d.message}`,
        PROTECTIVE_EN[d.purpose],
        utcTime(e.atMs),
      ].join('\n');
    }
    case 'incident':
      return e.data.state === 'opened'
        ? `🚨 Incident opened: ${e.data.code}\n${e.data.message}\n${utcTime(e.atMs)}`
        : `✅ Incident resolved: ${e.data.code} (open since ${utcTime(e.data.openedAtMs)})\n${utcTime(e.atMs)}`;
    case 'kill-switch':
      return e.data.active
        ? `⛔ Kill switch ON by ${e.data.setBy}: new entries stopped (exits and stops still run)\nReason: ${e.data.reason}\n${utcTime(e.atMs)}`
        : `▶️ Kill switch OFF by ${e.data.setBy}: entries allowed again\nReason: ${e.data.reason}\n${utcTime(e.atMs)}`;
    case 'credentials-failed':
      return `🔑 Live credentials failing: ${e.data.code} ${e.data.message}\nLive mode is not trading.\n${utcTime(e.atMs)}`;
    case 'model':
      return e.data.outcome === 'promoted'
        ? `🧠 Model promoted: ${e.data.version}\n${e.data.reason}\n${utcTime(e.atMs)}`
        : `🧠 Model kept: ${e.data.version}\n${e.data.reason}\n${utcTime(e.atMs)}`;
    case 'channel-failing':
      return `📵 Notification channel ${e.data.channel} keeps failing (${e.data.failedRuns} runs): ${e.data.lastError}\n${utcTime(e.atMs)}`;
    case 'daily-summary': {
      const d = e.data;
      return [
        `📊 Daily summary ${d.day} (${d.mode})`,
        `Equity ${d.equityJpy === null ? '-' : jpy(d.equityJpy)} · drawdown ${pct(d.drawdown)}`,
        `P&L 24h ${jpy(d.pnlDayJpy, true)} · 7d ${jpy(d.pnlWeekJpy, true)} · 30d ${jpy(d.pnlMonthJpy, true)}`,
        `Trades 24h: ${d.tradesDay}`,
        `Position: ${d.position ? `${d.position.side.toUpperCase()} ${d.position.amountBtc} BTC @ ${jpy(d.position.entryPriceJpy)}` : 'flat'}`,
        `Health: ${d.openIncidents.length === 0 ? 'ok' : `open incidents ${d.openIncidents.join(', ')}`}${d.killSwitch ? ' · kill switch ON' : ''}`,
      ].join('\n');
    }
  }
}

function renderJa(e: NotifyEvent): string {
  switch (e.kind) {
    case 'position-opened': {
      const d = e.data;
      return [
        `🟢 新規建玉: ${SIDE_JA[d.side]} ${d.amountBtc} BTC (${d.pair})${d.adopted ? ' [取引所で検出]' : ''}`,
        `約定価格 ${price(d.entryPriceJpy)}・手数料 ${jpy(d.entryFeeJpy)}`,
        `損切り ${price(d.stopPriceJpy)}・利確 ${price(d.takeProfitPriceJpy)}`,
        jstTime(e.atMs),
      ].join('\n');
    }
    case 'position-closed': {
      const d = e.data;
      return [
        `${d.pnlJpy >= 0 ? '✅' : '🔻'} 決済: ${SIDE_JA[d.side]} ${d.amountBtc} BTC (${d.pair})` +
          `・理由: ${exitReasonJa(d.exitReason)}`,
        `建値 ${price(d.entryPriceJpy)} → 決済 ${price(d.exitPriceJpy)}`,
        `損益 ${jpy(d.pnlJpy, true)}（手数料 ${jpy(d.feesJpy)}・金利 ${jpy(d.interestJpy)}）`,
        jstTime(e.atMs),
      ].join('\n');
    }
    case 'protective-failed': {
      const d = e.data;
      const what =
        d.purpose === 'close'
          ? `損切りを置けない${SIDE_JA[d.side]}建玉の成行決済`
          : `${SIDE_JA[d.side]}建玉の${PURPOSE_JA[d.purpose]}注文`;
      return [
        `⚠️ ${what}が取引所に拒否されました: ${d.code} ${d.message}`,
        PROTECTIVE_JA[d.purpose],
        jstTime(e.atMs),
      ].join('\n');
    }
    case 'incident':
      return e.data.state === 'opened'
        ? `🚨 インシデント発生: ${e.data.code}\n${e.data.message}\n${jstTime(e.atMs)}`
        : `✅ インシデント解消: ${e.data.code}（発生 ${jstTime(e.data.openedAtMs)}）\n${jstTime(e.atMs)}`;
    case 'kill-switch':
      return e.data.active
        ? `⛔ キルスイッチ ON（${e.data.setBy}）: 新規エントリー停止（決済と損切りは継続）\n理由: ${e.data.reason}\n${jstTime(e.atMs)}`
        : `▶️ キルスイッチ OFF（${e.data.setBy}）: エントリー再開\n理由: ${e.data.reason}\n${jstTime(e.atMs)}`;
    case 'credentials-failed':
      return `🔑 APIキーの認証に失敗: ${e.data.code} ${e.data.message}\nライブ取引は停止中です。\n${jstTime(e.atMs)}`;
    case 'model':
      return e.data.outcome === 'promoted'
        ? `🧠 モデル更新: ${e.data.version}\n${e.data.reason}\n${jstTime(e.atMs)}`
        : `🧠 モデル据え置き: ${e.data.version}\n${e.data.reason}\n${jstTime(e.atMs)}`;
    case 'channel-failing':
      return `📵 通知チャネル ${e.data.channel} が失敗し続けています（${e.data.failedRuns} 回）: ${e.data.lastError}\n${jstTime(e.atMs)}`;
    case 'daily-summary': {
      const d = e.data;
      return [
        `📊 日次サマリー ${d.day}（${d.mode === 'live' ? '本番' : 'ペーパー'}）`,
        `資産 ${d.equityJpy === null ? '-' : jpy(d.equityJpy)}・ドローダウン ${pct(d.drawdown)}`,
        `損益 24時間 ${jpy(d.pnlDayJpy, true)}・7日 ${jpy(d.pnlWeekJpy, true)}・30日 ${jpy(d.pnlMonthJpy, true)}`,
        `取引回数（24時間）: ${d.tradesDay}`,
        `建玉: ${d.position ? `${SIDE_JA[d.position.side]} ${d.position.amountBtc} BTC @ ${jpy(d.position.entryPriceJpy)}` : 'なし'}`,
        `状態: ${d.openIncidents.length === 0 ? '正常' : `未解決インシデント ${d.openIncidents.join(', ')}`}${d.killSwitch ? '・キルスイッチ ON' : ''}`,
      ].join('\n');
    }
  }
}
