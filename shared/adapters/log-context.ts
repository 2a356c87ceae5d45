import { AsyncLocalStorage } from 'node:async_hooks';
import type { TraceContext } from './cloud-logging/trace-context.js';

/** What every line logged while serving one request carries: the function's name and the request's trace. */
export interface LogContext {
  readonly service: string;
  readonly trace?: TraceContext;
}

const storage = new AsyncLocalStorage<LogContext>();

/** Runs `work` so that every line logged inside it, however deep, carries `context` (functions/http.ts). */
export function runWithLogContext<T>(context: LogContext, work: () => Promise<T>): Promise<T> {
  return storage.run(context, work);
}

/** The context of the request being served, if any. */
export function currentLogContext(): LogContext | undefined {
  return storage.getStore();
}
