/**
 * Lossless JSON for Firestore values (backup schema version 1). Works on the raw protobuf `Value`s
 * the server sent, not on the SDK's JavaScript view of them, so nothing collapses on the way:
 * an integral double stays a double, a 64-bit integer stays exact, -0/NaN/Infinity survive,
 * timestamps keep their nanoseconds, bytes are base64, references are database-relative paths,
 * maps are written with sorted keys so the same document always gives the same bytes.
 *
 * One value is a one-key object named like the proto field:
 *   {"nullValue":null} {"booleanValue":true} {"integerValue":"-9007199254740993"}
 *   {"doubleValue":1.5} {"doubleValue":"NaN"|"Infinity"|"-Infinity"|"-0"}
 *   {"timestampValue":"2026-11-26T18:00:00.123456000Z"} {"stringValue":"x"} {"bytesValue":"AQID"}
 *   {"referenceValue":"ticks/2026-11-26T18"} {"geoPointValue":{"latitude":1,"longitude":2}}
 *   {"arrayValue":[...]} {"mapValue":{"a":...,"b":...}}
 */
import { StoreError } from '../../core/errors.js';

export type EncodedValue =
  | { nullValue: null }
  | { booleanValue: boolean }
  | { integerValue: string }
  | { doubleValue: number | 'NaN' | 'Infinity' | '-Infinity' | '-0' }
  | { timestampValue: string }
  | { stringValue: string }
  | { bytesValue: string }
  | { referenceValue: string }
  | { geoPointValue: { latitude: number; longitude: number } }
  | { arrayValue: EncodedValue[] }
  | { mapValue: EncodedFields };

export type EncodedFields = { [field: string]: EncodedValue };

/** The protobuf `google.firestore.v1.Value` as the Node client holds it (protobufjs objects). */
export interface ProtoValue {
  valueType?: string;
  nullValue?: unknown;
  booleanValue?: boolean;
  integerValue?: string | number | { toString(): string };
  doubleValue?: number;
  timestampValue?: { seconds?: string | number | { toString(): string }; nanos?: number };
  stringValue?: string;
  bytesValue?: Uint8Array | string;
  referenceValue?: string;
  geoPointValue?: { latitude?: number; longitude?: number };
  arrayValue?: { values?: ProtoValue[] };
  mapValue?: { fields?: Record<string, ProtoValue> };
}

export function sortedKeys(record: object): string[] {
  return Object.keys(record).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Encodes a document's fields (proto) as sorted, typed JSON. `databasePath` is `projects/P/databases/D/documents`. */
export function encodeFields(fields: Record<string, ProtoValue>, databasePath: string): EncodedFields {
  const out: EncodedFields = {};
  for (const key of sortedKeys(fields)) out[key] = encodeValue(fields[key] as ProtoValue, databasePath);
  return out;
}

export function encodeValue(v: ProtoValue, databasePath: string): EncodedValue {
  const type = v.valueType ?? Object.keys(v).find((k) => k.endsWith('Value'));
  switch (type) {
    case 'nullValue':
      return { nullValue: null };
    case 'booleanValue':
      return { booleanValue: Boolean(v.booleanValue) };
    case 'integerValue':
      return { integerValue: BigInt(String(v.integerValue ?? 0)).toString() };
    case 'doubleValue':
      return { doubleValue: encodeDouble(Number(v.doubleValue)) };
    case 'timestampValue':
      return {
        timestampValue: formatTimestamp(BigInt(String(v.timestampValue?.seconds ?? 0)), v.timestampValue?.nanos ?? 0),
      };
    case 'stringValue':
      return { stringValue: String(v.stringValue ?? '') };
    case 'bytesValue':
      return {
        bytesValue:
          typeof v.bytesValue === 'string'
            ? v.bytesValue
            : Buffer.from(v.bytesValue ?? new Uint8Array()).toString('base64'),
      };
    case 'referenceValue':
      return { referenceValue: relativeReference(String(v.referenceValue), databasePath) };
    case 'geoPointValue':
      return {
        geoPointValue: { latitude: v.geoPointValue?.latitude ?? 0, longitude: v.geoPointValue?.longitude ?? 0 },
      };
    case 'arrayValue':
      return { arrayValue: (v.arrayValue?.values ?? []).map((x) => encodeValue(x, databasePath)) };
    case 'mapValue':
      return { mapValue: encodeFields(v.mapValue?.fields ?? {}, databasePath) };
    default:
      throw new StoreError(
        'STORE.BAD_RECORD',
        `backup cannot encode a Firestore value of type ${String(type)} losslessly`,
      );
  }
}

/** The inverse: typed JSON back to proto values for `databasePath` (references re-rooted there). */
export function decodeFields(fields: EncodedFields, databasePath: string): Record<string, ProtoValue> {
  const out: Record<string, ProtoValue> = {};
  for (const key of Object.keys(fields)) out[key] = decodeValue(fields[key] as EncodedValue, databasePath);
  return out;
}

export function decodeValue(v: EncodedValue, databasePath: string): ProtoValue {
  if ('nullValue' in v) return { nullValue: 'NULL_VALUE' };
  if ('booleanValue' in v) return { booleanValue: v.booleanValue };
  if ('integerValue' in v) return { integerValue: BigInt(v.integerValue).toString() };
  if ('doubleValue' in v) return { doubleValue: decodeDouble(v.doubleValue) };
  if ('timestampValue' in v) return { timestampValue: parseTimestamp(v.timestampValue) };
  if ('stringValue' in v) return { stringValue: v.stringValue };
  if ('bytesValue' in v) return { bytesValue: Buffer.from(v.bytesValue, 'base64') };
  if ('referenceValue' in v) return { referenceValue: `${databasePath}/${v.referenceValue}` };
  if ('geoPointValue' in v)
    return { geoPointValue: { latitude: v.geoPointValue.latitude, longitude: v.geoPointValue.longitude } };
  if ('arrayValue' in v) return { arrayValue: { values: v.arrayValue.map((x) => decodeValue(x, databasePath)) } };
  if ('mapValue' in v) return { mapValue: { fields: decodeFields(v.mapValue, databasePath) } };
  throw new StoreError('STORE.BAD_RECORD', `backup holds an unknown value ${JSON.stringify(v).slice(0, 80)}`);
}

function encodeDouble(x: number): number | 'NaN' | 'Infinity' | '-Infinity' | '-0' {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (Object.is(x, -0)) return '-0';
  return x;
}

function decodeDouble(x: number | string): number {
  if (typeof x === 'number') return x;
  const special: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity, '-0': -0 };
  if (!(x in special)) throw new StoreError('STORE.BAD_RECORD', `backup holds a bad double ${x}`);
  return special[x] as number;
}

const NANOS_PER_SECOND = 1_000_000_000n;

/** RFC 3339 in UTC with exactly nine fractional digits (seconds may be far from the epoch: years 1-9999). */
export function formatTimestamp(seconds: bigint, nanos: number): string {
  const iso = new Date(Number(seconds) * 1000).toISOString(); // whole seconds: exact for years 1-9999
  return `${iso.slice(0, 19)}.${String(nanos).padStart(9, '0')}Z`;
}

export function parseTimestamp(text: string): { seconds: number; nanos: number } {
  const m = text.match(/^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\.(\d{9})Z$/);
  const whole = m ? Date.parse(`${m[1]}Z`) : NaN;
  if (!m || Number.isNaN(whole)) throw new StoreError('STORE.BAD_RECORD', `backup holds a bad timestamp ${text}`);
  const nanos = BigInt(m[2] as string);
  if (nanos >= NANOS_PER_SECOND) throw new StoreError('STORE.BAD_RECORD', `backup holds a bad timestamp ${text}`);
  return { seconds: whole / 1000, nanos: Number(nanos) };
}

function relativeReference(full: string, databasePath: string): string {
  if (!full.startsWith(`${databasePath}/`))
    throw new StoreError('STORE.BAD_RECORD', `backup cannot keep a reference to another database: ${full}`);
  return full.slice(databasePath.length + 1);
}
