import { dashboardData } from '../dashboard/data.js';
import { dashboardPage } from '../dashboard/page.js';
import { detailedHealth } from './detailed.js';
import type { HealthDeps } from './health-deps.js';
import { loadHistory } from './history.js';
import { renderMetrics } from './metrics.js';
import { performanceReport } from './performance.js';

export interface HealthAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
  /** Codes of the failing checks, when the route ran them (for the handler's log line). */
  readonly failing?: readonly string[];
}

const json = (status: number, value: unknown): HealthAnswer => ({
  status,
  contentType: 'application/json; charset=utf-8',
  body: JSON.stringify(value),
});

export const HEALTH_ROUTES = [
  '/',
  '/detailed',
  '/performance',
  '/metrics',
  '/dashboard',
  '/dashboard/data.json',
] as const;

/** GET routes of the health function; `/` never touches Firestore or the exchange. */
export async function healthRoute(deps: HealthDeps, route: string): Promise<HealthAnswer> {
  switch (route) {
    case '/':
      return json(200, {
        status: 'ok',
        version: deps.version,
        mode: deps.settings.mode,
        uptimeSeconds: Math.floor((deps.clock.nowMs() - deps.startedAtMs) / 1000),
      });
    case '/detailed': {
      const d = await detailedHealth(deps);
      return { ...json(d.httpStatus, d.body), failing: d.body.failing };
    }
    case '/performance':
      return json(200, await performanceReport(deps));
    case '/metrics': {
      const [d, history] = await Promise.all([detailedHealth(deps), loadHistory(deps)]);
      const m = await renderMetrics(deps, d, history);
      return { status: 200, contentType: m.contentType, body: m.text };
    }
    case '/dashboard':
      return { status: 200, contentType: 'text/html; charset=utf-8', body: dashboardPage() };
    case '/dashboard/data.json': {
      const [d, history] = await Promise.all([detailedHealth(deps), loadHistory(deps)]);
      return json(200, await dashboardData(deps, d, history));
    }
    default:
      return json(404, { code: 'NOT_FOUND', message: `no health route ${route}` });
  }
}
