/**
 * Checks a proto3-JSON object against a message type from a Google client's shipped protos:
 * every field must exist (unknown fields are rejected, unlike protobufjs' own `fromObject`), at
 * most one member of each oneof is set, enums name a real value, scalars have the right JSON
 * type, well-known types use their JSON form. Then google-gax's serializer converts it and
 * protobufjs `verify` checks the message. Returns the problems (empty when valid).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { protobuf, serializer } from 'google-gax';

const require = createRequire(import.meta.url);

/** Loads `build/protos/protos.json` of an installed Google client package. */
export function loadShippedProtos(pkg: string): protobuf.Root {
  const dir = dirname(require.resolve(`${pkg}/package.json`));
  return protobuf.Root.fromJSON(
    JSON.parse(readFileSync(join(dir, 'build/protos/protos.json'), 'utf8')) as protobuf.INamespace,
  );
}

const INT = /^(u?int|s?fixed|sint)(32|64)$/;
const DURATION = /^-?\d+(\.\d{1,9})?s$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

export function checkMessage(type: protobuf.Type, json: unknown): string[] {
  const problems: string[] = [];
  walkMessage(type, json, type.name, problems);
  if (problems.length > 0) return problems;
  try {
    const message = serializer.fromProto3JSON(type, json as serializer.JSONValue);
    const error = message === null ? 'null message' : type.verify(message);
    if (error) problems.push(`${type.name}: ${error}`);
  } catch (thrown) {
    problems.push(`${type.name}: ${(thrown as Error).message}`);
  }
  return problems;
}

function walkMessage(type: protobuf.Type, json: unknown, path: string, problems: string[]): void {
  const full = type.fullName.replace(/^\./, '');
  if (full === 'google.protobuf.Duration')
    return check(
      typeof json === 'string' && DURATION.test(json),
      `${path}: Duration must be like "60s", got ${JSON.stringify(json)}`,
      problems,
    );
  if (full === 'google.protobuf.Timestamp')
    return check(typeof json === 'string' && TIMESTAMP.test(json), `${path}: Timestamp must be RFC 3339`, problems);
  if (full === 'google.protobuf.Struct' || full === 'google.protobuf.Value' || full === 'google.protobuf.ListValue')
    return;
  if (full === 'google.protobuf.FieldMask')
    return check(typeof json === 'string', `${path}: FieldMask must be a string`, problems);
  if (/^google\.protobuf\.(Bool|String|Bytes|Double|Float|U?Int(32|64))Value$/.test(full))
    return check(json === null || typeof json !== 'object', `${path}: ${full} must be a plain value`, problems);
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    problems.push(`${path}: expected a ${type.name} object`);
    return;
  }
  for (const [key, value] of Object.entries(json)) {
    const field = type.fields[key];
    if (!field) {
      problems.push(`${path}.${key}: no such field in ${full}`);
      continue;
    }
    walkField(field, value, `${path}.${key}`, problems);
  }
  for (const oneof of type.oneofsArray) {
    const set = oneof.oneof.filter((name) => Object.hasOwn(json, name));
    if (set.length > 1) problems.push(`${path}: ${set.join(', ')} are one-of ${oneof.name}; set only one`);
  }
}

function walkField(field: protobuf.Field, value: unknown, path: string, problems: string[]): void {
  field.resolve();
  if (field instanceof protobuf.MapField) {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return void problems.push(`${path}: expected a map`);
    for (const [k, v] of Object.entries(value)) walkValue(field, v, `${path}[${k}]`, problems);
    return;
  }
  if (field.repeated) {
    if (!Array.isArray(value)) return void problems.push(`${path}: expected an array`);
    value.forEach((v, i) => walkValue(field, v, `${path}[${i}]`, problems));
    return;
  }
  walkValue(field, value, path, problems);
}

function walkValue(field: protobuf.Field, value: unknown, path: string, problems: string[]): void {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Type) return walkMessage(resolved, value, path, problems);
  if (resolved instanceof protobuf.Enum) {
    return check(
      typeof value === 'string' ? Object.hasOwn(resolved.values, value) : Number.isInteger(value),
      `${path}: ${JSON.stringify(value)} is not a ${resolved.name} value`,
      problems,
    );
  }
  const t = field.type;
  if (t === 'string') return check(typeof value === 'string', `${path}: expected a string`, problems);
  if (t === 'bool') return check(typeof value === 'boolean', `${path}: expected a boolean`, problems);
  if (t === 'bytes')
    return check(
      typeof value === 'string' && /^[A-Za-z0-9+/_-]*={0,2}$/.test(value),
      `${path}: expected base64`,
      problems,
    );
  if (t === 'double' || t === 'float')
    return check(
      typeof value === 'number' || ['NaN', 'Infinity', '-Infinity'].includes(String(value)),
      `${path}: expected a number`,
      problems,
    );
  if (INT.test(t))
    return check(
      (typeof value === 'number' && Number.isInteger(value)) || (typeof value === 'string' && /^-?\d+$/.test(value)),
      `${path}: expected an integer`,
      problems,
    );
  problems.push(`${path}: unhandled field type ${t}`);
}

function check(ok: boolean, message: string, problems: string[]): void {
  if (!ok) problems.push(message);
}
