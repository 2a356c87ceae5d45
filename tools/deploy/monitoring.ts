/**
 * Monitoring as code: the log-based metrics (google.logging.v2.LogMetric), the five alert
 * policies (google.monitoring.v3.AlertPolicy) and the dashboard
 * (google.monitoring.dashboard.v1.Dashboard), in the APIs' proto3 JSON shape. `generate.ts`
 * writes them to scheduler/monitoring/; a test validates every file against the protos the
 * Google client packages ship and checks the files match this module.
 *
 * They read the tick's structured log lines (one JSON object per line on stdout; Cloud Run
 * functions put them in `jsonPayload`, `severity` becomes the entry's severity):
 *   summary line: {outcome, code, mode, latencyMs, tick, ...}   step line: {step, latencyMs, code}
 *   failure detail: {severity: ERROR, code, outcome, error}      request log: httpRequest.status
 */
import { ALERTS, alertDocumentation, codesFor, type AlertRunbook } from './runbook.js';

export const METRIC_PREFIX = 'crypto_bot';
const USER_METRIC = 'logging.googleapis.com/user';
const RUN = 'resource.type="cloud_run_revision"';
const service = (name: string): string => `resource.labels.service_name="${name.toLowerCase()}"`;

/** Filters shared by the metrics (and usable by logCheck's queries). */
export const LOG_FILTERS = {
  tickSummary: `${RUN} AND ${service('tick')} AND jsonPayload.outcome:* AND jsonPayload.latencyMs:* AND NOT jsonPayload.step:*`,
  tickStep: `${RUN} AND ${service('tick')} AND jsonPayload.step:* AND jsonPayload.latencyMs:*`,
  errorsWithCode: `${RUN} AND severity>=ERROR AND jsonPayload.code:* AND NOT (jsonPayload.outcome:* AND jsonPayload.mode:*)`,
  healthUnhealthy: `${RUN} AND ${service('health')} AND log_id("run.googleapis.com/requests") AND httpRequest.status=503`,
} as const;

type Json = Record<string, unknown>;
const label = (key: string, description: string): Json => ({ key, valueType: 'STRING', description });
const latencyBuckets = { exponentialBuckets: { numFiniteBuckets: 16, growthFactor: 2, scale: 10 } };

export function logMetrics(): Json[] {
  return [
    {
      name: `${METRIC_PREFIX}/tick_outcomes`,
      description: 'One per tick: its outcome (ok, failed, too-late, duplicate), code and mode.',
      filter: LOG_FILTERS.tickSummary,
      metricDescriptor: {
        metricKind: 'DELTA',
        valueType: 'INT64',
        unit: '1',
        labels: [label('outcome', 'tick outcome'), label('code', 'outcome code'), label('mode', 'paper or live')],
      },
      labelExtractors: {
        outcome: 'EXTRACT(jsonPayload.outcome)',
        code: 'EXTRACT(jsonPayload.code)',
        mode: 'EXTRACT(jsonPayload.mode)',
      },
    },
    {
      name: `${METRIC_PREFIX}/tick_latency`,
      description: 'Tick wall time, ms, from the summary line.',
      filter: LOG_FILTERS.tickSummary,
      metricDescriptor: {
        metricKind: 'DELTA',
        valueType: 'DISTRIBUTION',
        unit: 'ms',
        labels: [label('outcome', 'tick outcome')],
      },
      valueExtractor: 'EXTRACT(jsonPayload.latencyMs)',
      labelExtractors: { outcome: 'EXTRACT(jsonPayload.outcome)' },
      bucketOptions: latencyBuckets,
    },
    {
      name: `${METRIC_PREFIX}/step_latency`,
      description: 'Wall time of each tick step (credentials, reconcile, context, decide, orders, settle), ms.',
      filter: LOG_FILTERS.tickStep,
      metricDescriptor: {
        metricKind: 'DELTA',
        valueType: 'DISTRIBUTION',
        unit: 'ms',
        labels: [label('step', 'tick step')],
      },
      valueExtractor: 'EXTRACT(jsonPayload.latencyMs)',
      labelExtractors: { step: 'EXTRACT(jsonPayload.step)' },
      bucketOptions: latencyBuckets,
    },
    {
      name: `${METRIC_PREFIX}/errors`,
      description: 'Error lines by outcome code and function (the tick summary line is not counted twice).',
      filter: LOG_FILTERS.errorsWithCode,
      metricDescriptor: {
        metricKind: 'DELTA',
        valueType: 'INT64',
        unit: '1',
        labels: [label('code', 'outcome code'), label('function', 'Cloud Run service of the function')],
      },
      labelExtractors: { code: 'EXTRACT(jsonPayload.code)', function: 'EXTRACT(resource.labels.service_name)' },
    },
    {
      name: `${METRIC_PREFIX}/health_unhealthy`,
      description: 'health answers with HTTP 503 (a failing check, or no successful tick for 2 bars).',
      filter: LOG_FILTERS.healthUnhealthy,
      metricDescriptor: { metricKind: 'DELTA', valueType: 'INT64', unit: '1' },
    },
  ];
}

const metricFilter = (metric: string, extra = ''): string =>
  `metric.type="${USER_METRIC}/${METRIC_PREFIX}/${metric}" AND ${RUN}${extra ? ` AND ${extra}` : ''}`;
const oneOf = (codes: readonly string[]): string =>
  `metric.label.code=one_of(${codes.map((c) => `"${c}"`).join(', ')})`;
const sumOver = (seconds: number): Json[] => [
  { alignmentPeriod: `${seconds}s`, perSeriesAligner: 'ALIGN_SUM', crossSeriesReducer: 'REDUCE_SUM' },
];

function threshold(
  displayName: string,
  filter: string,
  aggregations: Json[],
  comparison: string,
  thresholdValue: number,
): Json {
  return {
    displayName,
    conditionThreshold: {
      filter,
      aggregations,
      comparison,
      thresholdValue,
      duration: '0s',
      trigger: { count: 1 },
      evaluationMissingData: 'EVALUATION_MISSING_DATA_INACTIVE',
    },
  };
}

function codesCondition(
  alert: AlertRunbook['name'],
  displayName: string,
  windowSeconds: number,
  moreThan: number,
): Json {
  return threshold(
    displayName,
    metricFilter('errors', oneOf(codesFor(alert))),
    sumOver(windowSeconds),
    'COMPARISON_GT',
    moreThan,
  );
}

function conditionsOf(alert: AlertRunbook['name']): Json[] {
  switch (alert) {
    case 'service-down':
      return [
        threshold(
          'health answered 503 twice in 10 minutes',
          metricFilter('health_unhealthy'),
          sumOver(600),
          'COMPARISON_GT',
          1,
        ),
        {
          displayName: 'no successful tick for 2 bars',
          conditionAbsent: {
            filter: metricFilter('tick_outcomes', 'metric.label.outcome="ok"'),
            aggregations: sumOver(3600),
            duration: '7200s',
            trigger: { count: 1 },
          },
        },
        codesCondition(alert, 'a code that stops every tick was logged', 3600, 0),
      ];
    case 'high-error-rate':
      return [codesCondition(alert, 'more than 5 errors in an hour', 3600, 5)];
    case 'live-not-trading':
      return [codesCondition(alert, 'the exchange rejected the credentials', 300, 0)];
    case 'data-failing':
      return [
        codesCondition(alert, 'candles missing, stale or bad twice in 2 hours', 7200, 1),
        threshold(
          'context or decide step (candles, macro, features, ATR) p95 over 20 s',
          metricFilter('step_latency', 'metric.label.step=one_of("context", "decide")'),
          [{ alignmentPeriod: '3600s', perSeriesAligner: 'ALIGN_PERCENTILE_95' }],
          'COMPARISON_GT',
          20_000,
        ),
      ];
    case 'external-fetch-failing':
      return [codesCondition(alert, 'macro or sentiment fetch failed more than twice in 3 hours', 10_800, 2)];
  }
}

export function alertPolicies(): Json[] {
  return ALERTS.map((a) => ({
    displayName: `crypto-bot: ${a.title}`,
    documentation: { content: alertDocumentation(a), mimeType: 'text/markdown', subject: `crypto-bot ${a.name}` },
    userLabels: { app: 'crypto-bot', alert: a.name },
    conditions: conditionsOf(a.name),
    combiner: 'OR',
    enabled: true,
    severity: a.severity,
    alertStrategy: { autoClose: '86400s' },
  }));
}

function chart(title: string, filter: string, aggregation: Json, plotType = 'LINE', yLabel = ''): Json {
  return {
    title,
    xyChart: {
      dataSets: [
        { timeSeriesQuery: { timeSeriesFilter: { filter, aggregation } }, plotType, minAlignmentPeriod: '3600s' },
      ],
      yAxis: { label: yLabel, scale: 'LINEAR' },
    },
  };
}

export function dashboard(): Json {
  const byLabel = (seconds: number, field: string): Json => ({
    alignmentPeriod: `${seconds}s`,
    perSeriesAligner: 'ALIGN_SUM',
    crossSeriesReducer: 'REDUCE_SUM',
    groupByFields: [field],
  });
  const percentile = (aligner: string): Json => ({
    alignmentPeriod: '3600s',
    perSeriesAligner: aligner,
    crossSeriesReducer: 'REDUCE_MEAN',
  });
  const widgets: Json[] = [
    chart(
      'Ticks by outcome',
      metricFilter('tick_outcomes'),
      byLabel(3600, 'metric.label.outcome'),
      'STACKED_BAR',
      'ticks',
    ),
    chart('Tick latency p95 (ms)', metricFilter('tick_latency'), percentile('ALIGN_PERCENTILE_95'), 'LINE', 'ms'),
    chart('Errors by code', metricFilter('errors'), byLabel(3600, 'metric.label.code'), 'STACKED_BAR', 'errors'),
    chart(
      'Step latency p95 by step (ms)',
      metricFilter('step_latency'),
      {
        alignmentPeriod: '3600s',
        perSeriesAligner: 'ALIGN_PERCENTILE_95',
        crossSeriesReducer: 'REDUCE_MEAN',
        groupByFields: ['metric.label.step'],
      },
      'LINE',
      'ms',
    ),
    chart(
      'health 503 answers',
      metricFilter('health_unhealthy'),
      byLabel(600, 'resource.label.service_name'),
      'STACKED_BAR',
      'answers',
    ),
    {
      title: 'Runbook',
      text: { content: ALERTS.map((a) => `**${a.title}**: ${a.means}`).join('\n\n'), format: 'MARKDOWN' },
    },
  ];
  return {
    displayName: 'crypto-bot operations',
    mosaicLayout: {
      columns: 48,
      tiles: widgets.map((widget, i) => ({
        xPos: (i % 2) * 24,
        yPos: Math.floor(i / 2) * 16,
        width: 24,
        height: 16,
        widget,
      })),
    },
    labels: { 'crypto-bot': '' },
  };
}
