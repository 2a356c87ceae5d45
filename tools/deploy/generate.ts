/**
 * Writes the monitoring files (scheduler/monitoring/) and the README's runbook, service-account,
 * settings and notification-transcript sections from the code: `npx tsx tools/deploy/generate.ts`.
 * A test fails when they drift.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { alertPolicies, dashboard, logMetrics } from './monitoring.js';
import { ALERTS, renderRunbook } from './runbook.js';
import { renderServiceAccountTable } from './functions.js';
import { describeSettings } from '../../shared/config.js';
import { DEPLOY_ENV_EXAMPLE_FILE, renderDeployEnvExample } from './settings.js';
import { renderNotifyTranscript } from './notify-transcript.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const MONITORING_DIR = 'scheduler/monitoring';

export const metricFile = (name: string): string => `${MONITORING_DIR}/metrics/${name.replace(/\//g, '.')}.json`;
export const alertFile = (name: string): string => `${MONITORING_DIR}/alerts/${name}.json`;
export const DASHBOARD_FILE = `${MONITORING_DIR}/dashboard.json`;

/** Every generated file: repo-relative path -> content. */
export function monitoringFiles(): Map<string, string> {
  const files = new Map<string, string>();
  const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
  for (const m of logMetrics()) files.set(metricFile(String(m.name)), json(m));
  alertPolicies().forEach((policy, i) =>
    files.set(alertFile((ALERTS[i] as (typeof ALERTS)[number]).name), json(policy)),
  );
  files.set(DASHBOARD_FILE, json(dashboard()));
  return files;
}

export const README_SECTIONS = {
  runbook: { start: '<!-- runbook:start -->', end: '<!-- runbook:end -->', render: renderRunbook },
  serviceAccounts: {
    start: '<!-- service-accounts:start -->',
    end: '<!-- service-accounts:end -->',
    render: renderServiceAccountTable,
  },
  settings: { start: '<!-- settings-table:start -->', end: '<!-- settings-table:end -->', render: renderSettingsTable },
  notifyTranscript: {
    start: '<!-- notify-transcript:start -->',
    end: '<!-- notify-transcript:end -->',
    render: renderNotifyTranscript,
  },
} as const;

/** The README's configuration table, one row per setting of shared/config.ts. */
function renderSettingsTable(): string {
  const rows = describeSettings().map((s) => `| \`${s.name}\` | ${s.defaultValue} | ${s.description} |`);
  return ['| setting | default | meaning |', '|---|---|---|', ...rows].join('\n');
}

/** The text between a section's markers, or undefined when the markers are missing. */
export function readSection(readme: string, section: keyof typeof README_SECTIONS): string | undefined {
  const { start, end } = README_SECTIONS[section];
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  return from < 0 || to < from ? undefined : readme.slice(from + start.length, to).trim();
}

function replaceSection(readme: string, section: keyof typeof README_SECTIONS): string {
  const { start, end, render } = README_SECTIONS[section];
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README.md lacks the ${start} ... ${end} markers`);
  return `${readme.slice(0, from + start.length)}\n${render()}\n${readme.slice(to)}`;
}

function main(): void {
  for (const [path, content] of monitoringFiles()) {
    mkdirSync(dirname(resolve(ROOT, path)), { recursive: true });
    writeFileSync(resolve(ROOT, path), content);
    console.log(`wrote ${path}`);
  }
  writeFileSync(resolve(ROOT, DEPLOY_ENV_EXAMPLE_FILE), renderDeployEnvExample());
  console.log(`wrote ${DEPLOY_ENV_EXAMPLE_FILE}`);
  const readmePath = resolve(ROOT, 'README.md');
  let readme = readFileSync(readmePath, 'utf8');
  for (const section of Object.keys(README_SECTIONS) as Array<keyof typeof README_SECTIONS>)
    readme = replaceSection(readme, section);
  writeFileSync(readmePath, readme);
  console.log('updated README.md runbook, service-account, settings and notification-transcript sections');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
