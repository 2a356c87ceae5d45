import { afterEach, describe, expect, it } from 'vitest';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import request from 'node:http';
import { resetRuntime } from './runtime.js';
import { FUNCTION_NAMES } from './registry.js';
import './index.js';

async function call(
  target: string,
  method: string,
  path: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const server = getTestServer(target);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  try {
    return await new Promise((resolve, reject) => {
      const req = request.request({ host: '127.0.0.1', port, path, method }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }),
        );
      });
      req.on('error', reject);
      req.end();
    });
  } finally {
    server.close();
  }
}

describe('functions registry over HTTP (functions-framework test server)', () => {
  afterEach(() => {
    resetRuntime();
    delete process.env.BOT_MODE;
  });

  it('health GET / answers status, version, mode and uptime', async () => {
    const { status, body } = await call('health', 'GET', '/');
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ok', mode: 'paper' });
    expect(typeof body.version).toBe('string');
    expect(body.uptimeSeconds).toBeGreaterThanOrEqual(0);
  });

  it('health answers 405 to POST and 404 to an unknown route', async () => {
    const post = await call('health', 'POST', '/');
    expect(post.status).toBe(405);
    expect(post.body.code).toBe('METHOD_NOT_ALLOWED');
    expect((await call('health', 'GET', '/nope')).status).toBe(404);
  });

  it('a broken configuration answers 500 CONFIG.INVALID naming the key, not a stack', async () => {
    process.env.BOT_MODE = 'yolo';
    const { status, body } = await call('health', 'GET', '/');
    expect(status).toBe(500);
    expect(body.code).toBe('CONFIG.INVALID');
    expect(String(body.message)).toContain('BOT_MODE');
    expect(JSON.stringify(body)).not.toContain('    at ');
  });

  it('registers every function', () => {
    expect(FUNCTION_NAMES.sort()).toEqual(['backup', 'health', 'logCheck', 'notify', 'retrain', 'telegram', 'tick']);
  });
});
