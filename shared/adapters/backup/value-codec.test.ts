import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeValue, encodeValue, formatTimestamp, parseTimestamp, type ProtoValue } from './value-codec.js';

const DB = 'projects/p/databases/(default)/documents';

describe('backup value codec', () => {
  it('formats timestamps with nine digits, from year 1 to 9999, and parses them back', () => {
    expect(formatTimestamp(0n, 0)).toBe('1970-01-01T00:00:00.000000000Z');
    expect(formatTimestamp(-62_135_596_800n, 1)).toBe('0001-01-01T00:00:00.000000001Z');
    expect(formatTimestamp(253_402_300_799n, 999_999_999)).toBe('9999-12-31T23:59:59.999999999Z');
    expect(parseTimestamp('0001-01-01T00:00:00.000000001Z')).toEqual({ seconds: -62_135_596_800, nanos: 1 });
    expect(() => parseTimestamp('2026-11-26T18:00:00Z')).toThrow();
  });

  it('keeps the double/integer distinction and special doubles', () => {
    expect(encodeValue({ doubleValue: 3 }, DB)).toEqual({ doubleValue: 3 });
    expect(encodeValue({ integerValue: '3' }, DB)).toEqual({ integerValue: '3' });
    expect(encodeValue({ doubleValue: -0 }, DB)).toEqual({ doubleValue: '-0' });
    expect(encodeValue({ doubleValue: NaN }, DB)).toEqual({ doubleValue: 'NaN' });
    expect(Object.is(decodeValue({ doubleValue: '-0' }, DB).doubleValue, -0)).toBe(true);
  });

  it('re-roots references into the target database and refuses references to another database', () => {
    expect(encodeValue({ referenceValue: `${DB}/a/b` }, DB)).toEqual({ referenceValue: 'a/b' });
    expect(decodeValue({ referenceValue: 'a/b' }, 'projects/q/databases/x/documents')).toEqual({
      referenceValue: 'projects/q/databases/x/documents/a/b',
    });
    expect(() => encodeValue({ referenceValue: 'projects/other/databases/(default)/documents/a/b' }, DB)).toThrow(
      /another database/,
    );
  });

  it('refuses a value type it cannot keep losslessly', () => {
    expect(() => encodeValue({ valueType: 'pipelineValue' } as ProtoValue, DB)).toThrow(/losslessly/);
  });

  it('property: decode(encode(v)) encodes to the same JSON for any nested value', () => {
    const leaf = fc.oneof(
      fc.constant<ProtoValue>({ nullValue: 'NULL_VALUE' }),
      fc.boolean().map<ProtoValue>((b) => ({ booleanValue: b })),
      fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map<ProtoValue>((i) => ({ integerValue: i.toString() })),
      fc.double().map<ProtoValue>((d) => ({ doubleValue: d })),
      fc
        .record({
          s: fc.integer({ min: -62_135_596_800, max: 253_402_300_799 }),
          n: fc.integer({ min: 0, max: 999_999_999 }),
        })
        .map<ProtoValue>(({ s, n }) => ({ timestampValue: { seconds: String(s), nanos: n } })),
      fc.string({ unit: 'grapheme' }).map<ProtoValue>((s) => ({ stringValue: s })),
      fc.uint8Array().map<ProtoValue>((b) => ({ bytesValue: b })),
      fc
        .record({
          latitude: fc.double({ min: -90, max: 90, noNaN: true }),
          longitude: fc.double({ min: -180, max: 180, noNaN: true }),
        })
        .map<ProtoValue>((g) => ({ geoPointValue: g })),
    );
    const value = fc.letrec<{ v: ProtoValue }>((tie) => ({
      v: fc.oneof(
        { depthSize: 'small' },
        leaf,
        fc.array(tie('v'), { maxLength: 4 }).map<ProtoValue>((values) => ({ arrayValue: { values } })),
        fc.dictionary(fc.string(), tie('v'), { maxKeys: 4 }).map<ProtoValue>((fields) => ({ mapValue: { fields } })),
      ),
    })).v;
    fc.assert(
      fc.property(value, (v) => {
        const once = JSON.stringify(encodeValue(v, DB));
        const twice = JSON.stringify(encodeValue(decodeValue(JSON.parse(once), DB), DB));
        expect(twice).toBe(once);
      }),
    );
  });
});
