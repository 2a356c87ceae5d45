import { BotError, toBotError } from '../core/errors.js';
import { withDeadline } from '../core/retry.js';
import type { OutcomeCode } from '../core/codes.js';
import type { TradePlan } from '../core/plan.js';
import { classifyBarTiming, resolveBarOpenMs, tickId as tickIdOf, type TickRequest } from '../core/tick/bar.js';
import type { OrderIntent } from '../core/tick/intent.js';
import { httpStatusFor, type StepTiming, type TickOutcome } from '../core/tick/outcome.js';
import { equity, ticks, type TickRecord } from '../store/tick-collections.js';
import { claimBar, finishTick } from './claim-bar.js';
import { gatherContext } from './context.js';
import { executePlan } from './execute-plan.js';
import { reconcile } from './reconcile.js';
import { noteCredentials } from './notify/credential-alert.js';
import { settleRestingEntries } from './resting-entry.js';
import { settleRestingExits } from './resting-exit.js';
import type { TickScope } from './place-order.js';
import type { TickDeps } from './tick-deps.js';

export interface TickAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/**
 * One bar, exactly once: which bar -> claim -> (live: credentials) -> reconcile -> context ->
 * decide -> orders -> settle -> record. Everything after the claim runs under the tick's deadline;
 * whatever happens, one tick record and one summary log line (code, outcome, latencyMs) are written.
 */
export async function runTick(given: TickDeps, request: TickRequest): Promise<TickAnswer> {
  const deps = withRulesOncePerTick(given);
  const { settings, clock } = deps;
  const startedMs = clock.nowMs();
  const barOpenMs = resolveBarOpenMs(request, settings.timeframe);
  const timing = classifyBarTiming(barOpenMs, startedMs, settings.timeframe, settings.tooLateBars);
  if (timing.kind === 'future')
    throw new BotError('TICK.BAD_REQUEST', `bar ${new Date(barOpenMs).toISOString()} has not started yet`);
  const tickId = tickIdOf(settings.pair, settings.timeframe, barOpenMs);
  const log = deps.logger.child({ tick: tickId, mode: settings.mode });
  const bar = new Date(barOpenMs).toISOString();

  const claim = await claimBar(deps.store, {
    tickId,
    pair: settings.pair,
    barOpenMs,
    owner: deps.owner,
    nowMs: startedMs,
    tickDeadlineMs: settings.tickDeadlineMs,
    mode: settings.mode,
  }).catch(async (thrown: unknown) => {
    const error = toBotError(thrown);
    // A transaction that kept losing the race to concurrent deliveries: someone else holds the bar.
    const seen = error.code === 'STORE.CONFLICT' ? await deps.store.get(ticks, tickId) : undefined;
    if (seen) return { action: 'running' as const, owner: seen.owner, leaseUntilMs: seen.leaseUntilMs };
    throw error;
  });
  if (claim.action === 'running') {
    const leaseUntil = new Date(claim.leaseUntilMs).toISOString();
    log.info('tick running elsewhere: retry after its lease', {
      code: 'TICK.RUNNING',
      outcome: 'running',
      owner: claim.owner,
      leaseUntil,
      latencyMs: clock.nowMs() - startedMs,
    });
    return {
      status: httpStatusFor('running', 'TICK.RUNNING'),
      body: { outcome: 'running', code: 'TICK.RUNNING', tick: tickId, bar, leaseUntil },
    };
  }
  if (claim.action === 'duplicate') {
    const fields = {
      code: 'TICK.DUPLICATE' as const,
      outcome: 'duplicate',
      reason: claim.reason,
      latencyMs: clock.nowMs() - startedMs,
    };
    if (claim.reason === 'attempts-exhausted') log.error('bar given up: every attempt failed', fields);
    else log.info('tick duplicate: bar already finished', fields);
    return {
      status: 200,
      body: { outcome: 'duplicate', code: 'TICK.DUPLICATE', tick: tickId, bar, reason: claim.reason },
    };
  }
  log.info(claim.action === 'claim' ? 'bar claimed' : 'bar taken over', {
    code: 'TICK.OK',
    step: 'claim',
    attempt: claim.attempt,
    ...(claim.action === 'takeover' ? { previousOwner: claim.previousOwner, reason: claim.reason } : {}),
  });
  await deps.fault?.('claim');

  if (timing.kind === 'too-late') {
    const latencyMs = clock.nowMs() - startedMs;
    await finishTick(deps.store, tickId, deps.owner, {
      status: 'done',
      outcome: 'too-late',
      code: 'TICK.TOO_LATE',
      finishedAtMs: clock.nowMs(),
      latencyMs,
      message: `${timing.lateBars.toFixed(2)} bars late`,
    });
    log.error('tick too late: not trading this bar', {
      code: 'TICK.TOO_LATE',
      outcome: 'too-late',
      lateBars: timing.lateBars,
      latencyMs,
    });
    return {
      status: 200,
      body: { outcome: 'too-late', code: 'TICK.TOO_LATE', tick: tickId, bar, lateBars: timing.lateBars },
    };
  }

  const timings: StepTiming[] = [];
  const touched = new Map<string, OrderIntent>();
  const state: {
    plan?: TradePlan;
    featuresDigest?: string;
    equityJpy?: number;
    killSwitch?: boolean;
    fixes: Array<{ kind: string; code: OutcomeCode }>;
  } = { fixes: [] };
  let outcome: TickOutcome = 'ok';
  let code: OutcomeCode = 'TICK.OK';
  let message: string | undefined;
  // True once the work itself settled: then nothing of this run can still reach the exchange.
  let workSettled = false;
  try {
    await withDeadline(
      async (signal) => {
        try {
          await work(signal);
        } finally {
          workSettled = true;
        }
      },
      { clock, timeoutMs: settings.tickDeadlineMs, code: 'TICK.DEADLINE', what: `tick ${tickId}` },
    );
  } catch (thrown) {
    const error = toBotError(thrown);
    outcome = 'failed';
    code = error.code;
    message =
      error.code === 'INTERNAL' ? `internal error: ${error.message}`.slice(0, 300) : error.message.slice(0, 300);
    log.error('tick failed', { code, outcome, error, ...error.details });
  }

  async function work(signal: AbortSignal): Promise<void> {
    const scope: TickScope = { deps, tickId, barOpenMs, log, signal, touched };
    const step = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
      const t0 = clock.nowMs();
      const result = await run();
      timings.push({ step: name, ms: clock.nowMs() - t0 });
      log.info(`tick step ${name}`, { code: 'TICK.OK', step: name, latencyMs: clock.nowMs() - t0 });
      return result;
    };
    if (deps.credentials)
      await step('credentials', () => (deps.credentials as NonNullable<TickDeps['credentials']>).ensure(signal));
    // The candle window depends on the bar only: it loads while reconcile and context run.
    deps.brain.prefetch?.(barOpenMs, signal);
    const first = await step('reconcile', () => reconcile(scope, { expected: false }));
    state.fixes.push(...first.fixes);
    const position = first.positions[0];
    const { context } = await step('context', () => gatherContext(scope, position, barOpenMs));
    state.killSwitch = context.killSwitch;
    const decision = await step('decide', () => deps.brain.decide(context, signal));
    timings.push(...decision.timings.map((t) => ({ step: `decide.${t.step}`, ms: t.ms })));
    state.plan = decision.plan;
    if (decision.featuresDigest !== undefined) state.featuresDigest = decision.featuresDigest;
    const inEntryWindow = clock.nowMs() - barOpenMs <= settings.entryWindowMs;
    const exitReasons = await step('orders', async () => {
      const entryBusy = await settleRestingEntries(scope, decision.plan, context.killSwitch);
      const exitBusy = await settleRestingExits(scope);
      const gates = { killSwitch: context.killSwitch, inEntryWindow, entryBusy, exitBusy };
      return executePlan(scope, decision.plan, position, gates);
    });
    await step('settle', () => reconcile(scope, { expected: true, exitReasons }));
    const status = await deps.exchange.fetchMarginStatus(signal);
    state.equityJpy = Number(status.totalMarginBalanceJpy);
    const peakJpy = Math.max(state.equityJpy, context.equityPeakJpy);
    await deps.store.set(equity, tickId, {
      atMs: barOpenMs,
      tickId,
      equityJpy: state.equityJpy,
      peakJpy,
      mode: settings.mode,
    });
  }
  const latencyMs = clock.nowMs() - startedMs;
  const plan = state.plan;
  const ordersSummary = [...touched.values()].map((i) => ({
    intentId: i.intentId,
    purpose: i.purpose,
    status: i.status,
    ...(i.orderId ? { orderId: i.orderId } : {}),
  }));
  const finishedAtMs = clock.nowMs();
  const record: Partial<TickRecord> & Pick<TickRecord, 'status'> = {
    status: outcome === 'ok' ? 'done' : 'failed',
    outcome,
    code,
    finishedAtMs,
    latencyMs,
    timings,
    // A failed run whose work has settled releases its lease (the retry may take over at once); one
    // abandoned at its deadline keeps it, since its last exchange call may still be in flight.
    ...(outcome === 'failed' && workSettled ? { leaseUntilMs: finishedAtMs } : {}),
    ...(message ? { message } : {}),
    ...(plan
      ? { decision: plan.action, probabilityUp: plan.probabilityUp ?? null, reasons: plan.reasons.slice(0, 10) }
      : {}),
    ...(plan?.action === 'hold' && plan.blockedBy ? { blockedBy: plan.blockedBy } : {}),
    ...(state.featuresDigest ? { featuresDigest: state.featuresDigest } : {}),
    ...(state.equityJpy !== undefined ? { equityJpy: state.equityJpy } : {}),
    ...(state.killSwitch !== undefined ? { killSwitch: state.killSwitch } : {}),
    orders: ordersSummary,
    reconcileFixes: state.fixes,
  };
  const recorded = await finishTick(deps.store, tickId, deps.owner, record).catch((thrown: unknown) => {
    log.error('tick record could not be written', { code: toBotError(thrown).code, error: thrown });
    return false;
  });
  if (settings.mode === 'live') {
    // "Live credentials failing", once per incident; a notification never fails the tick.
    await noteCredentials(
      deps.store,
      settings.mode,
      { ok: outcome === 'ok', code, message: message ?? '' },
      finishedAtMs,
    ).catch((thrown: unknown) => {
      log.error('credentials notification could not be written', { code: toBotError(thrown).code });
    });
  }
  const ordersSent = ordersSummary.filter((o) => o.status === 'sent').length;
  const summary = {
    outcome,
    code,
    tick: tickId,
    bar,
    mode: settings.mode,
    decision: plan?.action,
    probabilityUp: plan?.probabilityUp,
    blockedBy: plan?.action === 'hold' ? plan.blockedBy : undefined,
    orders: ordersSummary,
    ordersSent,
    reconcileFixes: state.fixes.length,
    equityJpy: state.equityJpy,
    latencyMs,
    timings,
    recorded,
    ...(message ? { message } : {}),
  };
  const { message: detail, orders: _orders, timings: _timings, ...fields } = summary;
  log.log(outcome === 'ok' ? 'INFO' : 'ERROR', `tick ${outcome}`, {
    ...fields,
    ...(detail ? { detail } : {}),
    ordersCount: ordersSummary.length,
  });
  return { status: httpStatusFor(outcome, code), body: summary };
}

/** Market rules are read once per tick (they can change between ticks: the minimum amount can rise). */
function withRulesOncePerTick(deps: TickDeps): TickDeps {
  const rules = new Map<string, ReturnType<TickDeps['exchange']['loadMarketRules']>>();
  const exchange: TickDeps['exchange'] = Object.create(deps.exchange) as TickDeps['exchange'];
  exchange.loadMarketRules = (pair, signal) => {
    const cached = rules.get(pair) ?? deps.exchange.loadMarketRules(pair, signal);
    rules.set(pair, cached);
    cached.catch(() => rules.delete(pair));
    return cached;
  };
  return { ...deps, exchange };
}
