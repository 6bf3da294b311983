import { resolveRef, type JsonObject } from './contract-document';

/** OpenAPI 3.0 keywords that are not JSON Schema; Postman's Ajv 6 would ignore or trip over them. */
const OPENAPI_ONLY = new Set(['example', 'nullable', 'discriminator', 'xml', 'externalDocs', 'deprecated']);
/** Formats Ajv 6 knows; it refuses to compile a schema with any other (`int32`, `int64`). */
const AJV6_FORMATS = new Set([
  'date',
  'time',
  'date-time',
  'uri',
  'uri-reference',
  'uri-template',
  'url',
  'email',
  'hostname',
  'ipv4',
  'ipv6',
  'regex',
  'uuid',
  'json-pointer',
  'relative-json-pointer',
]);

function toJsonSchema(contract: JsonObject, node: unknown): unknown {
  if (Array.isArray(node)) return node.map((entry) => toJsonSchema(contract, entry));
  if (typeof node !== 'object' || node === null) return node;
  const resolved = resolveRef(contract, node);
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(resolved)) {
    if (OPENAPI_ONLY.has(key) || key.startsWith('x-')) continue;
    if (key === 'format' && !AJV6_FORMATS.has(String(value))) continue;
    // `properties` maps names to schemas: keep the names, convert the schemas.
    if (key === 'properties')
      out[key] = Object.fromEntries(Object.entries(value as JsonObject).map(([name, schema]) => [name, toJsonSchema(contract, schema)]));
    else out[key] = toJsonSchema(contract, value);
  }
  return out;
}

/** Every `components.schemas` entry as a self-contained draft-07 schema (refs inlined) for `pm.response.to.have.jsonSchema`. */
export function contractJsonSchemas(contract: JsonObject): Record<string, JsonObject> {
  const schemas = ((contract.components as JsonObject | undefined)?.schemas ?? {}) as JsonObject;
  return Object.fromEntries(
    Object.keys(schemas)
      .sort()
      .map((name) => [name, { $schema: 'http://json-schema.org/draft-07/schema#', ...(toJsonSchema(contract, schemas[name]) as JsonObject) }]),
  );
}
