import type { Server } from 'node:http';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { EMULATOR_PROJECT_ID } from '../../tools/lib/firestore-emulator.js';
import { createFirestore } from '../../shared/adapters/firestore/firestore-store.js';

export interface HttpAnswer {
  status: number;
  text: string;
  json: Record<string, unknown> | undefined;
}

/** One registered function served in-process on a free loopback port (functions-framework's test server). */
export async function serveFunction(name: string): Promise<{ url: string; close(): Promise<void> }> {
  await import('../../functions/index.js');
  const server: Server = getTestServer(name);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export async function call(url: string, init: RequestInit = {}): Promise<HttpAnswer> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(15_000) });
  const text = await response.text();
  let json: Record<string, unknown> | undefined;
  try {
    const value: unknown = JSON.parse(text);
    json = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, text, json };
}

/** Names of the emulator database's root collections (empty when nothing was ever written). */
export async function rootCollections(): Promise<string[]> {
  const db = createFirestore({ projectId: EMULATOR_PROJECT_ID });
  try {
    return (await db.listCollections()).map((c) => c.id);
  } finally {
    await db.terminate();
  }
}
