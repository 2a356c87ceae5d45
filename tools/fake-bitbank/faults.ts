import { z } from 'zod';

/**
 * Scripted faults (`POST /__admin/faults`): each matches a request path exactly or as a prefix
 * (and the method, when given), fires `count` times (default 1), then is consumed. The first
 * matching fault, in the order they were added, wins.
 */
export const FaultSpecSchema = z.object({
  path: z.string().startsWith('/'),
  method: z.enum(['GET', 'POST', 'get', 'post']).optional(),
  kind: z.enum(['latency', 'hang', 'http-status', 'bitbank-error', 'maintenance', 'drop-after-accept']),
  count: z.number().int().positive().default(1),
  latencyMs: z.number().int().nonnegative().optional(),
  status: z.number().int().min(100).max(599).optional(),
  code: z.number().int().positive().optional(),
});
export type FaultSpec = z.infer<typeof FaultSpecSchema>;

export class Faults {
  private readonly active: Array<FaultSpec & { remaining: number }> = [];

  add(input: unknown): FaultSpec {
    const spec = FaultSpecSchema.parse(input);
    this.active.push({ ...spec, remaining: spec.count });
    return spec;
  }

  clear(): void {
    this.active.length = 0;
  }

  /** The fault for this request, consuming one use of it; `undefined` when none applies. */
  take(method: string, path: string): FaultSpec | undefined {
    const index = this.active.findIndex((f) => (path === f.path || path.startsWith(f.path)) && (f.method === undefined || f.method.toUpperCase() === method.toUpperCase()));
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
  if (fault.kind === 'maintenance') return { status: fault.status ?? 503, body: { success: 0, data: { code: fault.code ?? 10007 } } };
  if (fault.kind === 'bitbank-error') return { status: fault.status ?? 200, body: { success: 0, data: { code: fault.code ?? 10001 } } };
  const status = fault.status ?? 500;
  const code = fault.code ?? (status === 429 ? 10009 : 10001);
  return { status, body: { success: 0, data: { code } } };
}
