import type { Server } from 'node:http';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { FUNCTION_NAMES, type FunctionName } from '../../functions/registry.js';

export interface ServedFunctions {
  urls: Record<FunctionName, string>;
  close(): Promise<void>;
}

/**
 * Serves every registered function in this process with functions-framework, one loopback port
 * each (as each is its own service in production). Env for the runtime must be set before.
 */
export async function serveFunctions(firstPort = 0): Promise<ServedFunctions> {
  await import('../../functions/index.js');
  const servers: Server[] = [];
  const urls = {} as Record<FunctionName, string>;
  for (const [index, name] of FUNCTION_NAMES.entries()) {
    const server = getTestServer(name);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(firstPort === 0 ? 0 : firstPort + index, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    urls[name] = `http://127.0.0.1:${port}/`;
    servers.push(server);
  }
  return {
    urls,
    close: async () => {
      await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    },
  };
}
