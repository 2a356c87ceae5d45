import type YahooFinance from 'yahoo-finance2';
import { BotError, ConfigurationError } from '../../core/errors.js';
import { MACRO_SERIES, type MacroPoint, type MacroSeries, type MacroSeriesName } from '../../core/macro.js';
import type { Clock, RandomSource } from '../../ports/clock.port.js';
import type { Logger } from '../../ports/logger.port.js';
import type { MacroSource } from '../../ports/macro-source.port.js';
import {
  DEFAULT_EXTERNAL_CALL_POLICY,
  externalCall,
  fetchFailed,
  statusIsRetryable,
  type ExternalCallPolicy,
} from '../market-data/bounded-call.js';

const YAHOO_HOSTS = new Set(['query1.finance.yahoo.com', 'query2.finance.yahoo.com']);

export interface YahooMacroSourceOptions {
  /** Where chart requests go, e.g. https://query2.finance.yahoo.com (setting YAHOO_BASE_URL). */
  baseUrl: string;
  clock: Clock;
  random: RandomSource;
  logger?: Logger;
  policy?: ExternalCallPolicy;
  /** The fetch under yahoo-finance2 (default: global fetch). */
  fetch?: typeof fetch;
  /** Symbol per series; defaults to MACRO_SERIES' yahooSymbol (tests map a series to a recorded fixture). */
  symbols?: Partial<Record<MacroSeriesName, string>>;
}

/**
 * Daily closes of ^VIX, DX-Y.NYB, ^TNX and ^IRX through yahoo-finance2's `chart()`. Its `fetch`
 * option sends Yahoo's URLs to `baseUrl` and turns HTTP failures into EXTERNAL.FETCH_FAILED
 * before the library sees them; `chart` needs no cookie or crumb, and notices are suppressed.
 */
export class YahooMacroSource implements MacroSource {
  /** yahoo-finance2 (with its cookie jar and schemas, ~1 MB) is loaded on the first fetch, not at cold start: a tick with fresh macro data never loads it. */
  private client: Promise<InstanceType<typeof YahooFinance>> | undefined;
  private readonly makeClient: (Library: typeof YahooFinance) => InstanceType<typeof YahooFinance>;
  private readonly policy: ExternalCallPolicy;

  constructor(private readonly options: YahooMacroSourceOptions) {
    this.policy = options.policy ?? DEFAULT_EXTERNAL_CALL_POLICY;
    const base = options.baseUrl.replace(/\/+$/, '');
    const inner = options.fetch ?? globalThis.fetch;
    const routed: typeof fetch = async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      const target = YAHOO_HOSTS.has(url.hostname) ? `${base}${url.pathname}${url.search}` : url.href;
      const response = await inner(target, init);
      if (!response.ok) {
        await response.body?.cancel().catch(() => undefined);
        throw fetchFailed(`Yahoo answered HTTP ${response.status} for ${url.pathname}`, {
          retryable: statusIsRetryable(response.status),
          status: response.status,
        });
      }
      return response;
    };
    const log = options.logger;
    const text = (args: unknown[]): string =>
      args
        .map((a) => (typeof a === 'string' ? a : JSON.stringify(a)))
        .join(' ')
        .slice(0, 500);
    this.makeClient = (Library) =>
      new Library({
        fetch: routed,
        suppressNotices: ['yahooSurvey', 'ripHistorical'],
        versionCheck: false,
        validation: { logErrors: false, logOptionsErrors: false },
        logger: {
          debug: (...args: unknown[]) => log?.debug(text(args), { source: 'yahoo-finance2' }),
          dir: (...args: unknown[]) => log?.debug(text(args), { source: 'yahoo-finance2' }),
          info: (...args: unknown[]) => log?.debug(text(args), { source: 'yahoo-finance2' }),
          warn: (...args: unknown[]) => log?.warn(text(args), { source: 'yahoo-finance2' }),
          error: (...args: unknown[]) => log?.warn(text(args), { source: 'yahoo-finance2' }),
        },
      });
  }

  private loadClient(): Promise<InstanceType<typeof YahooFinance>> {
    this.client ??= import('yahoo-finance2').then((m) => this.makeClient(m.default));
    return this.client;
  }

  async fetchDaily(name: MacroSeriesName, fromDate: string, signal?: AbortSignal): Promise<MacroSeries> {
    const symbol = this.options.symbols?.[name] ?? MACRO_SERIES[name].yahooSymbol;
    if (symbol === undefined) throw new ConfigurationError(`${name} is not a Yahoo series`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(fromDate))
      throw new ConfigurationError(`fromDate must be YYYY-MM-DD, got ${fromDate}`);
    const result = await externalCall(
      async (attemptSignal) => {
        try {
          return await (
            await this.loadClient()
          ).chart(
            symbol,
            { period1: fromDate, period2: new Date(this.options.clock.nowMs()), interval: '1d', return: 'array' },
            { fetchOptions: { signal: attemptSignal } },
          );
        } catch (error) {
          if (error instanceof BotError) throw error;
          const validation = (error as { name?: string }).name === 'FailedYahooValidationError';
          throw fetchFailed(`Yahoo chart ${symbol}: ${(error as Error).message?.slice(0, 300)}`, {
            retryable: !validation,
            cause: error,
          });
        }
      },
      {
        what: `Yahoo chart ${symbol}`,
        clock: this.options.clock,
        random: this.options.random,
        policy: this.policy,
        signal,
      },
    );
    const offsetMs = (result.meta.gmtoffset ?? 0) * 1000;
    const byDate = new Map<string, MacroPoint>();
    for (const quote of result.quotes) {
      const value = quote.close;
      if (typeof value !== 'number' || !Number.isFinite(value)) continue; // holidays and half-filled rows carry nulls
      const date = new Date(quote.date.getTime() + offsetMs).toISOString().slice(0, 10);
      if (date >= fromDate) byDate.set(date, { date, value });
    }
    return { name, points: [...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : 1)) };
  }
}
