/** Cloud Scheduler jobs: read from scheduler/jobs.json, rendered as the API's Job and as gcloud flags. */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { FUNCTION_NAMES } from '../../functions/registry.js';

const duration = z.string().regex(/^\d+s$/);
const jobSchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9-]{2,62}$/),
  function: z.enum(FUNCTION_NAMES as [string, ...string[]]),
  path: z.string().startsWith('/'),
  schedule: z.string().regex(/^\S+ \S+ \S+ \S+ \S+$/),
  timeZone: z.string().min(1),
  body: z.record(z.string(), z.unknown()).nullable(),
  method: z.enum(['GET', 'POST']).default('POST'),
  description: z.string().min(1),
  attemptDeadline: duration,
  retry: z.strictObject({
    retryCount: z.number().int().min(0).max(5),
    minBackoff: duration,
    maxBackoff: duration,
    maxDoublings: z.number().int().min(0),
    maxRetryDuration: duration,
  }),
});
export type SchedulerJob = z.infer<typeof jobSchema>;

/**
 * Seconds after the first failed attempt at which Cloud Scheduler retries: the interval starts at
 * minBackoff, doubles maxDoublings times, then grows linearly by that last step, capped at maxBackoff.
 */
export function retryOffsetsSec(retry: SchedulerJob['retry']): number[] {
  const sec = (d: string): number => Number.parseInt(d, 10);
  const offsets: number[] = [];
  let atSec = 0;
  for (let n = 0; n < retry.retryCount; n += 1) {
    const doubled = sec(retry.minBackoff) * 2 ** Math.min(n, retry.maxDoublings);
    const linear =
      n > retry.maxDoublings ? sec(retry.minBackoff) * 2 ** retry.maxDoublings * (n - retry.maxDoublings) : 0;
    atSec += Math.min(sec(retry.maxBackoff), doubled + linear);
    if (atSec > sec(retry.maxRetryDuration)) break;
    offsets.push(atSec);
  }
  return offsets;
}

export const JOBS_FILE = new URL('../../scheduler/jobs.json', import.meta.url);

export function loadJobs(text = readFileSync(JOBS_FILE, 'utf8')): SchedulerJob[] {
  return z.object({ jobs: z.array(jobSchema) }).parse(JSON.parse(text)).jobs;
}

export interface DeployTarget {
  project: string;
  region: string;
}

/** The HTTPS URL of a gen2 function (also its OIDC audience). */
export function functionUrl(fn: string, t: DeployTarget): string {
  return `https://${t.region}-${t.project}.cloudfunctions.net/${fn}`;
}

export const schedulerServiceAccount = (t: DeployTarget): string =>
  `crypto-bot-scheduler@${t.project}.iam.gserviceaccount.com`;

/** google.cloud.scheduler.v1.Job in proto3 JSON. */
export function renderJob(job: SchedulerJob, t: DeployTarget): Record<string, unknown> {
  const url = functionUrl(job.function, t);
  return {
    name: `projects/${t.project}/locations/${t.region}/jobs/${job.name}`,
    description: job.description,
    schedule: job.schedule,
    timeZone: job.timeZone,
    attemptDeadline: job.attemptDeadline,
    httpTarget: {
      uri: `${url}${job.path === '/' ? '' : job.path}`,
      httpMethod: job.method,
      ...(job.body
        ? {
            body: Buffer.from(JSON.stringify(job.body)).toString('base64'),
            headers: { 'Content-Type': 'application/json' },
          }
        : {}),
      oidcToken: { serviceAccountEmail: schedulerServiceAccount(t), audience: url },
    },
    retryConfig: {
      retryCount: job.retry.retryCount,
      maxRetryDuration: job.retry.maxRetryDuration,
      minBackoffDuration: job.retry.minBackoff,
      maxBackoffDuration: job.retry.maxBackoff,
      maxDoublings: job.retry.maxDoublings,
    },
  };
}

/** `gcloud scheduler jobs create|update http NAME ...` arguments for one job. */
export function jobCommand(job: SchedulerJob, t: DeployTarget, verb: 'create' | 'update'): string[] {
  const url = functionUrl(job.function, t);
  return [
    'gcloud',
    'scheduler',
    'jobs',
    verb,
    'http',
    job.name,
    `--project=${t.project}`,
    `--location=${t.region}`,
    `--description=${job.description}`,
    `--schedule=${job.schedule}`,
    `--time-zone=${job.timeZone}`,
    `--uri=${url}${job.path === '/' ? '' : job.path}`,
    `--http-method=${job.method}`,
    ...(job.body
      ? [
          `--message-body=${JSON.stringify(job.body)}`,
          `${verb === 'create' ? '--headers' : '--update-headers'}=Content-Type=application/json`,
        ]
      : []),
    `--oidc-service-account-email=${schedulerServiceAccount(t)}`,
    `--oidc-token-audience=${url}`,
    `--attempt-deadline=${job.attemptDeadline}`,
    `--max-retry-attempts=${job.retry.retryCount}`,
    `--max-retry-duration=${job.retry.maxRetryDuration}`,
    `--min-backoff=${job.retry.minBackoff}`,
    `--max-backoff=${job.retry.maxBackoff}`,
    `--max-doublings=${job.retry.maxDoublings}`,
  ];
}
