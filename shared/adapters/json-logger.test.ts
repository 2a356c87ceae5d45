import { describe, expect, it } from 'vitest';
import { JsonLogger } from './json-logger.js';
import { BotError, toBotError } from '../core/errors.js';
import { runWithLogContext } from './log-context.js';

function capture(options: ConstructorParameters<typeof JsonLogger>[0] = {}) {
  const lines: string[] = [];
  const logger = new JsonLogger({ ...options, write: (line) => lines.push(line) });
  return { logger, lines, parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

// Real-looking credentials (random, not real accounts).
const API_KEY = '7f3c9a1e-22b4-4d0f-9c1a-5be0e6a4d2f1';
const API_SECRET = 'b8d1f0e2c4a69753e1f2d3c4b5a69788a1b2c3d4e5f60718293a4b5c6d7e8f90';
const SIGNATURE = '9ec5745960d05573c8fb047cdd9191bd0c6ede26f07700bb40ecf1a3920abae8';

describe('JsonLogger', () => {
  it('writes one JSON object per line with severity, message, code, tick and fields', () => {
    const { logger, lines, parsed } = capture();
    logger.child({ tick: 'btc_jpy_1h_1700000000000' }).info('candles fetched', { code: 'TICK.DUPLICATE', bars: 24 });
    expect(lines).toHaveLength(1);
    expect(lines[0]?.endsWith('\n')).toBe(true);
    expect(parsed()[0]).toEqual({
      severity: 'INFO',
      message: 'candles fetched',
      tick: 'btc_jpy_1h_1700000000000',
      code: 'TICK.DUPLICATE',
      bars: 24,
    });
  });

  it('drops lines below the minimum severity', () => {
    const { logger, lines } = capture({ minSeverity: 'WARNING' });
    logger.info('quiet');
    logger.warn('loud');
    expect(lines).toHaveLength(1);
  });

  it('redacts secret-named fields, headers, configured secrets and signatures anywhere', () => {
    const { logger, lines } = capture({ secrets: [API_KEY, API_SECRET] });
    logger.error('request failed', {
      headers: {
        'ACCESS-KEY': API_KEY,
        'ACCESS-SIGNATURE': SIGNATURE,
        Authorization: 'Bearer ya29.a0AfH6SMBx',
        accept: 'json',
      },
      apiSecret: API_SECRET,
      url: `https://api.bitbank.cc/v1/user/assets?key=${API_KEY}`,
      note: `signed with ${API_SECRET}`,
      body: `{"token":"abc123def456"}`,
      error: new BotError('EXCHANGE.AUTH', `rejected signature ${SIGNATURE}`),
    });
    const text = lines.join('');
    for (const secret of [API_KEY, API_SECRET, SIGNATURE, 'ya29.a0AfH6SMBx', 'abc123def456'])
      expect(text).not.toContain(secret);
    const entry = JSON.parse(text) as { headers: Record<string, string>; error: { code: string } };
    expect(entry.headers.accept).toBe('json');
    expect(entry.headers['ACCESS-KEY']).toBe('[REDACTED]');
    expect(entry.error.code).toBe('EXCHANGE.AUTH');
  });

  it('serialises errors with their code and cause', () => {
    const { logger, parsed } = capture();
    logger.error('x', { error: new BotError('STORE.UNAVAILABLE', 'down', { cause: new Error('ECONNREFUSED') }) });
    expect(parsed()[0]?.error).toEqual({
      name: 'BotError',
      message: 'down',
      code: 'STORE.UNAVAILABLE',
      cause: { name: 'Error', message: 'ECONNREFUSED' },
    });
  });

  it('an error line carries the stack of its error and serviceContext, as Error Reporting reads them', () => {
    const { logger, parsed } = capture({ serviceContext: { service: 'crypto-bot', version: '1.2.3' } });
    const thrown = new Error('socket hang up');
    logger.error('tick failed', { code: 'INTERNAL', error: toBotError(thrown) });
    logger.warn('slow', { error: new Error('not reported') });
    logger.error('tick failed', { code: 'TICK.TOO_LATE' });
    const [failed, warning, plain] = parsed();
    // An INTERNAL wrapper made by toBotError points at its cause: that is where the error was thrown.
    expect(failed?.stack_trace).toBe(thrown.stack);
    expect(failed?.stack_trace).toMatch(/^Error: socket hang up\n\s+at /);
    expect(failed?.serviceContext).toEqual({ service: 'crypto-bot', version: '1.2.3' });
    expect(warning?.stack_trace).toBeUndefined();
    expect(plain?.stack_trace).toBeUndefined();
    expect(plain?.serviceContext).toEqual({ service: 'crypto-bot', version: '1.2.3' });
    const translated = new BotError('EXCHANGE.TIMEOUT', 'bitbank timed out', { cause: new Error('ETIMEDOUT') });
    logger.error('x', { error: translated });
    expect(parsed()[3]?.stack_trace).toBe(translated.stack);
  });

  it('a stack trace is redacted like the rest of the line', () => {
    const { logger, lines } = capture({ secrets: [API_SECRET], serviceContext: { service: 's', version: 'v' } });
    logger.error('x', { error: new Error(`bad secret ${API_SECRET}`) });
    expect(lines.join('')).not.toContain(API_SECRET);
    expect(JSON.parse(lines[0] as string).stack_trace).toMatch(/^Error: bad secret \[REDACTED\]\n/);
  });

  it('lines logged while serving a request carry its trace and the function name', async () => {
    const serviceContext = { service: 'crypto-bot', version: 'v' };
    const { logger, parsed } = capture({ projectId: 'my-proj', serviceContext });
    const trace = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', sampled: true };
    await runWithLogContext({ service: 'tick', trace }, async () => {
      await Promise.resolve();
      logger.child({ tick: 't' }).error('tick failed', { error: new Error('boom') });
    });
    logger.info('outside');
    const [inside, outside] = parsed();
    expect(inside).toMatchObject({
      'logging.googleapis.com/trace': 'projects/my-proj/traces/4bf92f3577b34da6a3ce929d0e0e4736',
      'logging.googleapis.com/spanId': '00f067aa0ba902b7',
      'logging.googleapis.com/trace_sampled': true,
      serviceContext: { service: 'tick', version: 'v' },
      tick: 't',
    });
    expect(outside?.['logging.googleapis.com/trace']).toBeUndefined();
  });

  it("severity is always the call's: a field cannot change it", () => {
    const { logger, parsed } = capture();
    logger.error('x', { severity: 'INFO' });
    logger.warn('y', { severity: 'DEBUG' });
    expect(parsed().map((l) => l.severity)).toEqual(['ERROR', 'WARNING']);
  });
});
