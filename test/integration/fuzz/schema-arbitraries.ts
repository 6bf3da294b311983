import fc from 'fast-check';
import { resolveRef, type JsonObject } from '../../../scripts/contract/contract-document';

/** Values that mean something to the running server (real order ids, openids), by property name. */
export type Hints = Record<string, fc.Arbitrary<unknown>>;

/** A value the schema accepts: required properties always, optional ones sometimes, bounds and patterns kept. */
export function validValue(contract: JsonObject, node: unknown, hints: Hints = {}): fc.Arbitrary<unknown> {
  const schema = resolveRef(contract, node);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  if (Array.isArray(schema.anyOf)) return validValue(contract, schema.anyOf[0]);
  switch (schema.type) {
    case 'object': {
      const properties = (schema.properties ?? {}) as JsonObject;
      const model = Object.fromEntries(
        Object.entries(properties).map(([name, property]) => {
          const value = validValue(contract, property, hints);
          const hint = hints[name];
          return [name, hint ? fc.oneof({ weight: 3, arbitrary: hint }, { weight: 1, arbitrary: value }) : value];
        }),
      );
      return fc.record(model, { requiredKeys: (schema.required ?? []) as string[] });
    }
    case 'array':
      return fc.array(validValue(contract, schema.items, hints), { maxLength: Math.min(Number(schema.maxItems ?? 3), 3) });
    case 'integer':
      return fc.integer({ min: Number(schema.minimum ?? -1000), max: Number(schema.maximum ?? 1000) });
    case 'number':
      return fc.double({ min: Number(schema.minimum ?? -1000), max: Number(schema.maximum ?? 1000), noNaN: true });
    case 'boolean':
      return fc.boolean();
    default:
      return validString(schema);
  }
}

/** Plain printable text within the bounds (the contract's own rules on content, such as no emoji, stay satisfied). */
export function validString(schema: JsonObject): fc.Arbitrary<string> {
  const minLength = Number(schema.minLength ?? 0);
  const maxLength = Math.min(Number(schema.maxLength ?? 64), 200);
  if (typeof schema.pattern === 'string') {
    const pattern = new RegExp(schema.pattern);
    const alphabet = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.:-'].filter((c) => pattern.test(c.repeat(Math.max(minLength, 1))));
    return fc.string({ unit: fc.constantFrom(...alphabet), minLength, maxLength });
  }
  return fc.string({ unit: 'grapheme-ascii', minLength, maxLength });
}

// U+0000, lone surrogates, controls, bidi and zero-width marks, a BOM, 4-byte characters.
const STRANGE = [
  '\u0000',
  'a\u0000b',
  '\ud83d',
  '\ude00 seat',
  '\u202egnp.exe',
  '\u200b',
  '\r\n',
  '\t',
  '\u0007',
  '\u001b[31m',
  '😀',
  '𠀀',
  '\uffff',
  '\ufeff',
  '%00',
  "'; drop table orders;--",
];

/** Strings that test the edges: strange characters, any code point, controls, and far over any maxLength. */
export function strangeString(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(...STRANGE),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
    fc.string({ unit: fc.integer({ min: 0, max: 0x1f }).map((code) => String.fromCharCode(code)), minLength: 1, maxLength: 8 }),
    fc.constantFrom(129, 1025, 5000, 15000).map((length) => 'x'.repeat(length)),
  );
}

/** A value of some other JSON type than the schema's. */
export function wrongType(): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.integer(), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 2 }),
    fc.string({ maxLength: 10 }),
    fc.constantFrom(0, -1, 100000001, 1.5, 2 ** 53, 1e308, '8800', ''),
  );
}

/** One change that makes a valid object near-valid: a field dropped, added, of the wrong type, or strange. */
export function nearValid(contract: JsonObject, node: unknown, hints: Hints = {}): fc.Arbitrary<unknown> {
  const schema = resolveRef(contract, node);
  const names = Object.keys((schema.properties ?? {}) as JsonObject);
  if (schema.type !== 'object' || names.length === 0) return fc.oneof(wrongType(), strangeString());
  const field = fc.constantFrom(...names);
  return fc
    .tuple(validValue(contract, schema, hints) as fc.Arbitrary<Record<string, unknown>>, fc.nat(4), field, wrongType(), strangeString())
    .map(([valid, change, name, other, strange]) => {
      const value: Record<string, unknown> = { ...valid };
      if (change === 0) delete value[name];
      else if (change === 1) value[`extra_${name}`] = other;
      else if (change === 2) value[name] = other;
      else if (change === 3) value[name] = strange;
      else value[strange.slice(0, 200)] = strange;
      return value;
    });
}
