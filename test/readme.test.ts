import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { describeSettings } from '../shared/config.js';
import { readSection } from '../tools/deploy/generate.js';
import { renderNotifyTranscript } from '../tools/deploy/notify-transcript.js';

describe('README', () => {
  it('its configuration table matches the config schema', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const table = readme.split('<!-- settings-table:start -->')[1]?.split('<!-- settings-table:end -->')[0] ?? '';
    const expected = describeSettings().map((s) => `| \`${s.name}\` | ${s.defaultValue} | ${s.description} |`);
    expect(table.trim().split('\n').slice(2)).toEqual(expected);
  });

  it('its notification transcript is the one the renderers produce (every kind, en and ja)', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(readSection(readme, 'notifyTranscript')).toBe(renderNotifyTranscript());
  });

  it('names only npm scripts that exist and repository files that exist', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const scripts = (
      JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
        scripts: Record<string, string>;
      }
    ).scripts;
    const named = [...readme.matchAll(/npm run ([a-z][a-z:-]*)/g)].map((m) => m[1] as string);
    expect(named.length).toBeGreaterThan(5);
    expect(named.filter((name) => !(name in scripts))).toEqual([]);
    const paths = [
      ...readme.matchAll(/(?<![\w/.:-])((?:functions|shared|tools|test|bench|scheduler|docs|data)\/[\w./-]*\w)/g),
    ].map((m) => m[1] as string);
    expect(paths.length).toBeGreaterThan(10);
    expect([...new Set(paths)].filter((path) => !existsSync(new URL(`../${path}`, import.meta.url)))).toEqual([]);
  });

  it('gives the two set-up commands', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(readme).toContain('npm ci && npm start');
    expect(readme).toContain('npm test');
  });
});
