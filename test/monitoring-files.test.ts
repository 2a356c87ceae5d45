import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_CODES, OUTCOME_CODES } from '../shared/core/codes.js';
import { checkMessage, loadShippedProtos } from '../tools/deploy/proto-check.js';
import { alertPolicies, dashboard, logMetrics, METRIC_PREFIX } from '../tools/deploy/monitoring.js';
import { ALERTS, codesFor, renderRunbook } from '../tools/deploy/runbook.js';
import { renderServiceAccountTable } from '../tools/deploy/functions.js';
import { MONITORING_DIR, ROOT, monitoringFiles, readSection } from '../tools/deploy/generate.js';
import { loadJobs, renderJob, retryOffsetsSec } from '../tools/deploy/jobs.js';
import { loadConfig } from '../shared/config.js';
import { leaseUntilMs } from '../shared/core/tick/claim.js';
import { ORDER_SETTLE_MS } from '../shared/core/tick/intent.js';

const monitoring = loadShippedProtos('@google-cloud/monitoring');
const dashboards = loadShippedProtos('@google-cloud/monitoring-dashboards');
const logging = loadShippedProtos('@google-cloud/logging-api');
const scheduler = loadShippedProtos('@google-cloud/scheduler');

const AlertPolicy = monitoring.lookupType('google.monitoring.v3.AlertPolicy');
const Dashboard = dashboards.lookupType('google.monitoring.dashboard.v1.Dashboard');
const LogMetric = logging.lookupType('google.logging.v2.LogMetric');
const Job = scheduler.lookupType('google.cloud.scheduler.v1.Job');

const read = (path: string): unknown => JSON.parse(readFileSync(join(ROOT, path), 'utf8'));
const listJson = (dir: string): string[] =>
  readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.json'))
    .map((f) => `${dir}/${f}`)
    .sort();
const TYPE_OF_DIR: Record<string, typeof AlertPolicy> = { metrics: LogMetric, alerts: AlertPolicy };

describe('monitoring as code (scheduler/monitoring/)', () => {
  const generated = monitoringFiles();

  it('the committed files are exactly what the code generates (run `npx tsx tools/deploy/generate.ts` after changing codes or alerts)', () => {
    expect(listJson(MONITORING_DIR)).toEqual([...generated.keys()].sort());
    for (const [path, content] of generated) expect(readFileSync(join(ROOT, path), 'utf8'), path).toBe(content);
  });

  it('every file is a valid message of its Cloud API (shipped protos, unknown fields rejected)', () => {
    for (const path of listJson(MONITORING_DIR)) {
      const dir = path.split('/')[2] ?? '';
      const type = path.endsWith('dashboard.json') ? Dashboard : TYPE_OF_DIR[dir];
      if (!type) throw new Error(`no message type for ${path}`);
      expect(checkMessage(type, read(path)), path).toEqual([]);
    }
  });

  it('the validator can fail: unknown fields, bad enums, bad durations and two oneof members are rejected', () => {
    const policy = structuredClone(alertPolicies()[0]) as Record<string, unknown>;
    expect(checkMessage(AlertPolicy, { ...policy, colour: 'red' })).toEqual([
      expect.stringContaining('colour: no such field'),
    ]);
    expect(checkMessage(AlertPolicy, { ...policy, combiner: 'XOR' })).toEqual([expect.stringContaining('XOR')]);
    const conditions = policy.conditions as Array<Record<string, Record<string, unknown>>>;
    const threshold = conditions[0]?.conditionThreshold as Record<string, unknown>;
    expect(
      checkMessage(AlertPolicy, {
        ...policy,
        conditions: [{ displayName: 'x', conditionThreshold: { ...threshold, duration: 600 } }],
      }),
    ).toEqual([expect.stringContaining('Duration')]);
    expect(
      checkMessage(AlertPolicy, {
        ...policy,
        conditions: [
          { displayName: 'x', conditionThreshold: threshold, conditionAbsent: { filter: 'x', duration: '60s' } },
        ],
      }),
    ).toEqual([expect.stringContaining('one-of')]);
    expect(checkMessage(LogMetric, { ...logMetrics()[0], labelExtractor: {} })).toEqual([
      expect.stringContaining('labelExtractor: no such field'),
    ]);
  });

  it('there is one alert policy per alert of the code catalogue, and each condition reads a defined metric', () => {
    const catalogueAlerts = new Set(ALL_CODES.map((c) => OUTCOME_CODES[c].alert).filter((a) => a !== 'none'));
    expect(new Set(ALERTS.map((a) => a.name))).toEqual(catalogueAlerts);
    expect(ALERTS).toHaveLength(5);
    const metricTypes = new Set(logMetrics().map((m) => `logging.googleapis.com/user/${String(m.name)}`));
    for (const policy of alertPolicies()) {
      for (const condition of policy.conditions as Array<Record<string, { filter: string }>>) {
        const body = condition.conditionThreshold ?? condition.conditionAbsent;
        const type = body?.filter.match(/metric\.type="([^"]+)"/)?.[1];
        expect(metricTypes.has(type ?? ''), `${String(policy.displayName)}: ${type}`).toBe(true);
      }
    }
  });

  it('alert filters name exactly the codes whose catalogue entry feeds that alert', () => {
    alertPolicies().forEach((policy, i) => {
      const alert = ALERTS[i];
      if (!alert) throw new Error('alerts out of step');
      const filters = (policy.conditions as Array<Record<string, { filter: string }>>)
        .map((c) => (c.conditionThreshold ?? c.conditionAbsent)?.filter ?? '')
        .join(' ');
      const named = [...filters.matchAll(/"([A-Z]+\.[A-Z_]+|INTERNAL)"/g)].map((m) => m[1]);
      expect(new Set(named), alert.name).toEqual(new Set(codesFor(alert.name)));
      expect(String((policy.documentation as { content: string }).content)).toContain(alert.means);
    });
  });

  it('service down watches health 503s and the absence of a successful tick for 2 bars', () => {
    const serviceDown = alertPolicies().find((p) => (p.userLabels as Record<string, string>).alert === 'service-down');
    const conditions = serviceDown?.conditions as Array<Record<string, Record<string, unknown>>>;
    const absent = conditions.find((c) => c.conditionAbsent)?.conditionAbsent;
    expect(absent?.duration).toBe('7200s');
    expect(String(absent?.filter)).toContain('metric.label.outcome="ok"');
    expect(
      conditions.some((c) => String(c.conditionThreshold?.filter).includes(`${METRIC_PREFIX}/health_unhealthy`)),
    ).toBe(true);
  });

  it('the dashboard charts every log-based metric', () => {
    const tiles = (
      dashboard().mosaicLayout as {
        tiles: Array<{
          widget: { xyChart?: { dataSets: Array<{ timeSeriesQuery: { timeSeriesFilter: { filter: string } } }> } };
        }>;
      }
    ).tiles;
    const charted = new Set(
      tiles.flatMap(
        (t) =>
          t.widget.xyChart?.dataSets.map(
            (d) => d.timeSeriesQuery.timeSeriesFilter.filter.match(/user\/([^"]+)"/)?.[1],
          ) ?? [],
      ),
    );
    expect(charted).toEqual(new Set(logMetrics().map((m) => String(m.name))));
  });
});

describe('Cloud Scheduler jobs as data (scheduler/jobs.json)', () => {
  const jobs = loadJobs();
  const target = { project: 'demo', region: 'asia-northeast1' };
  const byName = (name: string) => {
    const job = jobs.find((j) => j.name === name);
    if (!job) throw new Error(`no job ${name}`);
    return job;
  };

  it('every job renders to a valid google.cloud.scheduler.v1.Job with an OIDC token', () => {
    for (const job of jobs) {
      const rendered = renderJob(job, target);
      expect(checkMessage(Job, rendered), job.name).toEqual([]);
      expect(
        (rendered.httpTarget as { oidcToken: { serviceAccountEmail: string } }).oidcToken.serviceAccountEmail,
      ).toBe('crypto-bot-scheduler@demo.iam.gserviceaccount.com');
    }
  });

  it('tick runs at every bar close with 5 retries and backoff; health every 5 min; logCheck every 15', () => {
    const tick = byName('crypto-bot-tick');
    expect([tick.function, tick.schedule, tick.retry.retryCount]).toEqual(['tick', '0 * * * *', 5]);
    expect(Number.parseInt(tick.retry.maxBackoff, 10)).toBeGreaterThan(Number.parseInt(tick.retry.minBackoff, 10));
    expect([byName('crypto-bot-health').schedule, byName('crypto-bot-health').path]).toEqual([
      '*/5 * * * *',
      '/detailed',
    ]);
    expect(byName('crypto-bot-logcheck').schedule).toBe('*/15 * * * *');
  });

  it("the tick's retries outlive a dead run's lease and a lost order's settle window, inside the entry window", () => {
    const config = loadConfig({});
    const leaseSec = leaseUntilMs(0, config.TICK_DEADLINE_MS) / 1000;
    const offsets = retryOffsetsSec(byName('crypto-bot-tick').retry);
    expect(offsets).toEqual([20, 60, 140, 260, 380]);
    // A run that crashed at once holds the bar until its lease ends: at least two retries come after it.
    expect(offsets.filter((s) => s > leaseSec).length).toBeGreaterThanOrEqual(2);
    // An order whose answer was lost is proven absent only after the settle window: a retry comes after it.
    expect(offsets.some((s) => s * 1000 > ORDER_SETTLE_MS + config.EXCHANGE_CALL_TIMEOUT_MS)).toBe(true);
    expect(Math.max(...offsets)).toBeLessThan(config.ENTRY_WINDOW_MINUTES * 60);
  });

  it('the three backups run daily 03:00, Sunday 04:00 and the 1st 05:00 Tokyo with their kind; retrain monthly', () => {
    const backups = ['daily', 'weekly', 'monthly'].map((k) => byName(`crypto-bot-backup-${k}`));
    expect(backups.map((j) => [j.function, j.schedule, j.timeZone, j.body])).toEqual([
      ['backup', '0 3 * * *', 'Asia/Tokyo', { kind: 'daily' }],
      ['backup', '0 4 * * 0', 'Asia/Tokyo', { kind: 'weekly' }],
      ['backup', '0 5 1 * *', 'Asia/Tokyo', { kind: 'monthly' }],
    ]);
    const body = (renderJob(backups[0] as (typeof backups)[number], target).httpTarget as { body: string }).body;
    expect(JSON.parse(Buffer.from(body, 'base64').toString('utf8'))).toEqual({ kind: 'daily' });
    expect(byName('crypto-bot-retrain').schedule).toMatch(/^\d+ \d+ \d+ \* \*$/);
  });
});

describe('README operations sections', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

  it('the runbook is the one generated from the alerts and the code catalogue, naming every alerting code', () => {
    expect(readSection(readme, 'runbook')).toBe(renderRunbook());
    for (const code of ALL_CODES.filter((c) => OUTCOME_CODES[c].alert !== 'none'))
      expect(readSection(readme, 'runbook')).toContain(`\`${code}\``);
  });

  it('the service-account table is the one generated from the function specs', () => {
    expect(readSection(readme, 'serviceAccounts')).toBe(renderServiceAccountTable());
  });

  it('has Deploy and Operations runbook sections', () => {
    expect(readme).toContain('## Deploy');
    expect(readme).toContain('## Operations runbook');
    expect(readme).toContain('npm run deploy -- --project P --dry-run');
  });
});
