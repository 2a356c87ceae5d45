import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'fake-bitbank-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fake-bitbank CLI', () => {
  it('prints its URL, serves the scaled candles, and exits cleanly on SIGTERM', async () => {
    const t0 = Date.UTC(2024, 0, 1);
    const rows = Array.from({ length: 250 }, (_, i) => `${t0 + i * 3_600_000},100,110,90,${100 + i},5`);
    const file = join(dir, 'candles.csv');
    writeFileSync(file, ['open_time_ms,open,high,low,close,volume', ...rows].join('\n'));
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'tools/fake-bitbank/main.ts',
        '--port',
        '0',
        '--candles',
        file,
        '--quote-per-usd',
        '150',
        '--start',
        new Date(t0 + 10 * 3_600_000).toISOString(),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const [line] = (await once(child.stdout, 'data')) as [Buffer];
    const text = line.toString();
    expect(text).toMatch(/^fake-bitbank listening on http:\/\/127\.0\.0\.1:\d+\n$/);
    const url = text.trim().split(' ').pop() as string;
    const ticker = (await (await fetch(`${url}/btc_jpy/ticker`)).json()) as { data: { last: string } };
    expect(ticker.data.last).toBe(String((100 + 9) * 150));
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).toBe(0);
  }, 20_000);
});
