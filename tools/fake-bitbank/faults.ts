import { z } from 'zod';

/**
 * Scripted faults (`POST /__admin/faults`): each matches a request path exactly or as a prefix
 * (and the method, when given), fires `count` times (default 1), then is consumed. The first
 * matching fault, in the order they were added, wins.
 *
 * `latency` delays the whole request and drops it if the client gave up meanwhile (the exchange
 * never saw it). `late-accept` is the other case, the one that doubles orders: the exchange judges
 * the request as it arrived (signature, request time, rate limit), applies it `acceptDelayMs` after
 * arrival (default 0: at once) whether or not the client is still connected, and answers
 * `delayMs` after arrival (never before it applied the request), or never with `noAnswer`.
 */
export const FaultSpecSchema = z.object({
  path: z.string().startsWith('/'),
  method: z.enum(['GET', 'POST', 'get', 'post']).optional(),
  kind: z.enum(['latency', 'hang', 'http-status', 'bitbank-error', 'maintenance', 'drop-after-accept', 'late-accept']),
  count: z.number().int().positive().default(1),
  latencyMs: z.number().int().nonnegative().optional(),
  /** late-accept: the answer comes this long after the request arrived. */
  delayMs: z.number().int().nonnegative().optional(),
  /** late-accept: the request takes effect this long after it arrived (default 0). */
  acceptDelayMs: z.number().int().nonnegative().optional(),
  /** late-accept: no answer at all (the connection stays open until the client gives up). */
  noAnswer: z.boolean().optional(),
  status: z.number().int().min(100).max(599).optional(),
  code: z.number().int().positive().optional(),
});
export type FaultSpec = z.infer<typeof FaultSpecSchema>;

export class Faults {
  private readonly active: Array<FaultSpec & { remaining: number }> = [];

  add(input: unknown): FaultSpec {
    const spec = FaultSpecSchema.parse(input);
    if (spec.kind === 'late-accept') lateAcceptTiming(spec);
    this.active.push({ ...spec, remaining: spec.count });
    return spec;
  }

  clear(): void {
    this.active.length = 0;
  }

  /** The fault for this request, consuming one use of it; `undefined` when none applies. */
  take(method: string, path: string): FaultSpec | undefined {
    const index = this.active.findIndex(
      (f) =>
        (path === f.path || path.startsWith(f.path)) &&
        (f.method === undefined || f.method.toUpperCase() === method.toUpperCase()),
    );
    if (index < 0) return undefined;
    const fault = this.active[index] as FaultSpec & { remaining: number };
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.active.splice(index, 1);
    return fault;
  }

  get size(): number {
    return this.active.length;
  }
}

/** The answer a fault of kind http-status / bitbank-error / maintenance gives. */
export function faultResponse(fault: FaultSpec): { status: number; body: unknown } {
  if (fault.kind === 'maintenance')
    return { status: fault.status ?? 503, body: { success: 0, data: { code: fault.code ?? 10007 } } };
  if (fault.kind === 'bitbank-error')
    return { status: fault.status ?? 200, body: { success: 0, data: { code: fault.code ?? 10001 } } };
  const status = fault.status ?? 500;
  const code = fault.code ?? (status === 429 ? 10009 : 10001);
  return { status, body: { success: 0, data: { code } } };
}

/** When a late-accept fault applies the request and when it answers (`undefined`: never), ms after arrival. */
export function lateAcceptTiming(fault: FaultSpec): { acceptAfterMs: number; answerAfterMs: number | undefined } {
  const acceptAfterMs = fault.acceptDelayMs ?? 0;
  if (fault.noAnswer === true) {
    if (fault.delayMs !== undefined) throw new RangeError('late-accept: give delayMs or noAnswer, not both');
    return { acceptAfterMs, answerAfterMs: undefined };
  }
  if (fault.delayMs === undefined)
    throw new RangeError('late-accept needs delayMs (when the answer comes) or noAnswer: true');
  if (fault.delayMs < acceptAfterMs)
    throw new RangeError(
      `late-accept: the answer (delayMs ${fault.delayMs}) cannot come before the request takes effect (acceptDelayMs ${acceptAfterMs})`,
    );
  return { acceptAfterMs, answerAfterMs: fault.delayMs };
}
