import * as grpc from '@grpc/grpc-js';
import { matches, parseFilter, type FakeEntry } from './filter.js';
import { loggingServiceDefinition } from './protos.js';

export type { FakeEntry } from './filter.js';

/** A Struct (google.protobuf.Struct) from a plain JSON object, as the Logging API sends jsonPayload. */
function toValue(v: unknown): Record<string, unknown> {
  if (v === null || v === undefined) return { nullValue: 'NULL_VALUE' };
  if (typeof v === 'number') return { numberValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  if (typeof v === 'string') return { stringValue: v };
  if (Array.isArray(v)) return { listValue: { values: v.map(toValue) } };
  return { structValue: toStruct(v as Record<string, unknown>) };
}
function toStruct(o: Record<string, unknown>): { fields: Record<string, unknown> } {
  return { fields: Object.fromEntries(Object.entries(o).map(([k, v]) => [k, toValue(v)])) };
}

function toApiEntry(e: FakeEntry, index: number): Record<string, unknown> {
  const ms = Date.parse(e.timestamp);
  return {
    logName: e.logName,
    resource: e.resource ?? { type: 'cloud_run_revision', labels: { service_name: 'tick' } },
    timestamp: { seconds: String(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1e6 },
    severity: e.severity,
    insertId: e.insertId ?? `fake-${index}`,
    jsonPayload: toStruct(e.jsonPayload),
  };
}

export interface ListRequestSeen {
  resourceNames: string[];
  filter: string;
  orderBy: string;
  pageSize: number;
  pageToken: string;
}

export interface FakeLogging {
  /** `host:port` for the client's apiEndpoint/port, and the pieces. */
  readonly endpoint: string;
  readonly host: string;
  readonly port: number;
  /** ListLogEntries requests received, in order. */
  readonly requests: ListRequestSeen[];
  add(entries: readonly FakeEntry[]): void;
  /** Forgets entries, requests seen and pending faults. */
  clear(): void;
  /** Fault injection: the next `count` ListLogEntries calls fail with this gRPC status, or hang. */
  fail(fault: { code: grpc.status; count?: number } | { hang: true; count?: number }): void;
  close(): Promise<void>;
}

const MAX_PAGE = 1000;

/**
 * A local server speaking `google.logging.v2.LoggingServiceV2` over gRPC (no TLS), for the real
 * `@google-cloud/logging` client: ListLogEntries with filter, order and pages over entries held in
 * memory, WriteLogEntries to add entries through the client. Other methods answer UNIMPLEMENTED.
 */
export async function startFakeLogging(
  options: { host?: string; port?: number; entries?: readonly FakeEntry[] } = {},
): Promise<FakeLogging> {
  const entries: FakeEntry[] = [...(options.entries ?? [])];
  const requests: ListRequestSeen[] = [];
  const faults: Array<{ code?: grpc.status; hang?: boolean }> = [];
  const hanging: Array<() => void> = [];
  const server = new grpc.Server();
  const unimplemented = (_call: unknown, callback: grpc.sendUnaryData<unknown>) =>
    callback({ code: grpc.status.UNIMPLEMENTED, details: 'not in the fake' });
  server.addService(loggingServiceDefinition(), {
    listLogEntries(call: grpc.ServerUnaryCall<ListRequestSeen, unknown>, callback: grpc.sendUnaryData<unknown>) {
      const req = call.request;
      requests.push({
        resourceNames: req.resourceNames,
        filter: req.filter,
        orderBy: req.orderBy,
        pageSize: req.pageSize,
        pageToken: req.pageToken,
      });
      const fault = faults.shift();
      if (fault?.hang) {
        hanging.push(() => callback({ code: grpc.status.CANCELLED, details: 'server closing' }));
        return;
      }
      if (fault?.code !== undefined)
        return callback({ code: fault.code, details: `injected fault ${grpc.status[fault.code]}` });
      let selected: FakeEntry[];
      try {
        const node = req.filter.trim() === '' ? undefined : parseFilter(req.filter);
        selected = node ? entries.filter((e) => matches(node, e)) : [...entries];
      } catch (error) {
        return callback({ code: grpc.status.INVALID_ARGUMENT, details: `bad filter: ${(error as Error).message}` });
      }
      const desc = /desc/i.test(req.orderBy);
      selected.sort((a, b) => (Date.parse(a.timestamp) - Date.parse(b.timestamp)) * (desc ? -1 : 1));
      const offset = req.pageToken ? Number(req.pageToken) : 0;
      const size = Math.min(req.pageSize > 0 ? req.pageSize : 50, MAX_PAGE);
      const page = selected.slice(offset, offset + size);
      const nextPageToken = offset + size < selected.length ? String(offset + size) : '';
      callback(null, { entries: page.map((e, i) => toApiEntry(e, offset + i)), nextPageToken });
    },
    writeLogEntries(
      call: grpc.ServerUnaryCall<{ logName: string; entries: Array<Record<string, unknown>> }, unknown>,
      callback: grpc.sendUnaryData<unknown>,
    ) {
      for (const e of call.request.entries) {
        const ts = e.timestamp as { seconds: string; nanos: number } | null;
        entries.push({
          logName: (e.logName as string) || call.request.logName,
          severity: (e.severity as string) || 'DEFAULT',
          timestamp: new Date(ts ? Number(ts.seconds) * 1000 + Math.floor(ts.nanos / 1e6) : Date.now()).toISOString(),
          jsonPayload: fromStruct(e.jsonPayload as StructIn | null),
        });
      }
      callback(null, {});
    },
    deleteLog: unimplemented,
    listMonitoredResourceDescriptors: unimplemented,
    listLogs: unimplemented,
    tailLogEntries: (call: grpc.ServerDuplexStream<unknown, unknown>) =>
      call.emit('error', { code: grpc.status.UNIMPLEMENTED, details: 'not in the fake' }),
  });
  const host = options.host ?? '127.0.0.1';
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${host}:${options.port ?? 0}`, grpc.ServerCredentials.createInsecure(), (error, p) =>
      error ? reject(error) : resolve(p),
    ),
  );
  return {
    endpoint: `${host}:${port}`,
    host,
    port,
    requests,
    add: (more) => entries.push(...more),
    clear: () => {
      entries.length = 0;
      requests.length = 0;
      faults.length = 0;
    },
    fail: (fault) => {
      for (let n = 0; n < (fault.count ?? 1); n += 1)
        faults.push('hang' in fault ? { hang: true } : { code: fault.code });
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const release of hanging.splice(0)) release();
        server.tryShutdown(() => resolve());
      }),
  };
}

type StructIn = { fields?: Record<string, ValueIn> };
type ValueIn = {
  kind?: string;
  nullValue?: unknown;
  numberValue?: number;
  stringValue?: string;
  boolValue?: boolean;
  structValue?: StructIn;
  listValue?: { values?: ValueIn[] };
};
function fromValue(v: ValueIn): unknown {
  switch (v.kind) {
    case 'numberValue':
      return v.numberValue;
    case 'stringValue':
      return v.stringValue;
    case 'boolValue':
      return v.boolValue;
    case 'structValue':
      return fromStruct(v.structValue ?? null);
    case 'listValue':
      return (v.listValue?.values ?? []).map(fromValue);
    default:
      return null;
  }
}
function fromStruct(s: StructIn | null): Record<string, unknown> {
  return Object.fromEntries(Object.entries(s?.fields ?? {}).map(([k, v]) => [k, fromValue(v)]));
}
