export interface Delivery {
  status: number;
  outcome: string;
  code?: string;
  message?: string;
  /** The tick's equity after the bar, when it got that far. */
  equityJpy?: number;
  /** The whole JSON answer (tests read it). */
  body: Record<string, unknown>;
}

/** K concurrent POSTs of one bar to `tick`, as Cloud Scheduler delivers (same schedule time each). */
export async function deliver(url: string, barMs: number, copies: number): Promise<Delivery[]> {
  const scheduleTime = new Date(barMs).toISOString();
  return Promise.all(
    Array.from({ length: Math.max(1, copies) }, async () => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'X-CloudScheduler-ScheduleTime': scheduleTime },
        body: '{}',
        signal: AbortSignal.timeout(180_000),
      });
      const body = (await response.json().catch(() => ({}))) as Record<string, unknown> & {
        outcome?: string;
        code?: string;
        message?: string;
        equityJpy?: number;
      };
      return {
        status: response.status,
        outcome: body.outcome ?? (response.ok ? 'ok' : 'failed'),
        ...(body.code ? { code: body.code } : {}),
        ...(body.message ? { message: body.message } : {}),
        ...(typeof body.equityJpy === 'number' ? { equityJpy: body.equityJpy } : {}),
        body,
      };
    }),
  );
}
