import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { describeSettings } from '../shared/config.js';

describe('README', () => {
  it('its configuration table matches the config schema', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const table = readme.split('<!-- settings-table:start -->')[1]?.split('<!-- settings-table:end -->')[0] ?? '';
    const expected = describeSettings().map((s) => `| \`${s.name}\` | ${s.defaultValue} | ${s.description} |`);
    expect(table.trim().split('\n').slice(2)).toEqual(expected);
  });

  it('gives the two set-up commands', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(readme).toContain('npm ci && npm start');
    expect(readme).toContain('npm test');
  });
});
