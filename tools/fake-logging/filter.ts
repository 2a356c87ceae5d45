/**
 * A subset of the Logging query language, enough for the bot's log queries: comparisons
 * (= != < <= > >= =~ !~ and `:` has / `:*` present), value lists `field=("a" OR "b")`, AND / OR /
 * NOT and parentheses, implicit AND between terms. `severity` compares by rank and `timestamp` as a
 * time, as in Cloud Logging. Unknown syntax throws (the server answers INVALID_ARGUMENT).
 */
export interface FakeEntry {
  timestamp: string;
  severity: string;
  logName: string;
  jsonPayload: Record<string, unknown>;
  resource?: { type: string; labels: Record<string, string> };
  insertId?: string;
}

const SEVERITY_RANK: Record<string, number> = {
  DEFAULT: 0,
  DEBUG: 100,
  INFO: 200,
  NOTICE: 300,
  WARNING: 400,
  ERROR: 500,
  CRITICAL: 600,
  ALERT: 700,
  EMERGENCY: 800,
};

type Node =
  | { kind: 'and' | 'or'; parts: Node[] }
  | { kind: 'not'; part: Node }
  | { kind: 'cmp'; field: string; op: string; values: string[] };

const TOKEN = /\s*("(?:[^"\\]|\\.)*"|>=|<=|!=|=~|!~|[()=<>:]|[^\s()=<>:!"~]+)/y;

function tokenize(filter: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < filter.length) {
    if (/^\s*$/.test(filter.slice(TOKEN.lastIndex))) break;
    const m = TOKEN.exec(filter);
    if (!m) throw new Error(`cannot parse filter near: ${filter.slice(TOKEN.lastIndex, TOKEN.lastIndex + 20)}`);
    tokens.push(m[1] as string);
  }
  return tokens;
}

const unquote = (t: string): string => (t.startsWith('"') ? t.slice(1, -1).replace(/\\(.)/g, '$1') : t);
const OPS = new Set(['=', '!=', '<', '<=', '>', '>=', '=~', '!~', ':']);

export function parseFilter(filter: string): Node {
  const tokens = tokenize(filter);
  let i = 0;
  const peek = () => tokens[i];
  const next = () => tokens[i++] as string;
  function or(): Node {
    const parts = [and()];
    while (peek() === 'OR') {
      next();
      parts.push(and());
    }
    return parts.length === 1 ? (parts[0] as Node) : { kind: 'or', parts };
  }
  function and(): Node {
    const parts = [unary()];
    while (peek() !== undefined && peek() !== ')' && peek() !== 'OR') {
      if (peek() === 'AND') next();
      parts.push(unary());
    }
    return parts.length === 1 ? (parts[0] as Node) : { kind: 'and', parts };
  }
  function unary(): Node {
    if (peek() === 'NOT' || peek() === '-') {
      next();
      return { kind: 'not', part: unary() };
    }
    if (peek() === '(') {
      next();
      const e = or();
      if (next() !== ')') throw new Error('missing )');
      return e;
    }
    const field = next();
    const op = next();
    if (!OPS.has(op)) throw new Error(`expected an operator after ${field}, got ${op}`);
    if (peek() === '(') {
      next();
      const values = [unquote(next())];
      while (peek() === 'OR') {
        next();
        values.push(unquote(next()));
      }
      if (next() !== ')') throw new Error('missing ) in value list');
      return { kind: 'cmp', field, op, values };
    }
    return { kind: 'cmp', field, op, values: [unquote(next())] };
  }
  const node = or();
  if (i !== tokens.length) throw new Error(`unexpected ${tokens[i]}`);
  return node;
}

function fieldValue(entry: FakeEntry, path: string): unknown {
  let value: unknown = entry;
  for (const key of path.split('.'))
    value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return value;
}

function compare(field: string, actual: unknown, op: string, expected: string): boolean {
  if (op === ':')
    return expected === '*'
      ? actual !== undefined
      : actual !== undefined && String(actual).toLowerCase().includes(expected.toLowerCase());
  if (actual === undefined) return op === '!=' || op === '!~';
  if (op === '=~' || op === '!~') return new RegExp(expected).test(String(actual)) === (op === '=~');
  let a: number | string = String(actual);
  let b: number | string = expected;
  if (field === 'severity') [a, b] = [SEVERITY_RANK[a] ?? 0, SEVERITY_RANK[b.toUpperCase()] ?? Number.NaN];
  else if (field === 'timestamp') [a, b] = [Date.parse(a), Date.parse(b)];
  else if (typeof actual === 'number' && b.trim() !== '' && Number.isFinite(Number(b))) [a, b] = [actual, Number(b)];
  switch (op) {
    case '=':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    default:
      throw new Error(`unknown operator ${op}`);
  }
}

export function matches(node: Node, entry: FakeEntry): boolean {
  switch (node.kind) {
    case 'and':
      return node.parts.every((p) => matches(p, entry));
    case 'or':
      return node.parts.some((p) => matches(p, entry));
    case 'not':
      return !matches(node.part, entry);
    case 'cmp': {
      const actual = fieldValue(entry, node.field);
      return node.values.some((v) => compare(node.field, actual, node.op, v));
    }
  }
}
