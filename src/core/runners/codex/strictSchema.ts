/**
 * Codex sends `--output-schema` as a strict `json_schema` format, and OpenAI's strict mode wants
 * every property required and no others allowed. Our final answers have optional fields, so an
 * optional property becomes "this type or null", and a null in the answer means "absent" again
 * before our own schema checks it.
 */
type Schema = Record<string, unknown>;

export function strictSchema(schema: Schema): Schema {
  const out: Schema = { ...schema };
  for (const key of ['items', 'additionalItems', 'not']) if (isSchema(out[key])) out[key] = strictSchema(out[key]);
  for (const key of ['anyOf', 'oneOf', 'allOf', 'prefixItems'])
    if (Array.isArray(out[key])) out[key] = (out[key] as unknown[]).map((s) => (isSchema(s) ? strictSchema(s) : s));
  if (isSchema(out.properties)) {
    const required = new Set(Array.isArray(out.required) ? (out.required as string[]) : []);
    const properties: Schema = {};
    for (const [name, property] of Object.entries(out.properties)) {
      const strict = isSchema(property) ? strictSchema(property) : property;
      properties[name] = required.has(name) ? strict : { anyOf: [strict, { type: 'null' }] };
    }
    out.properties = properties;
    out.required = Object.keys(properties);
    out.additionalProperties = false;
  }
  return out;
}

/** The answer with every null-valued property removed (deeply): strictSchema's "absent". */
export function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).flatMap(([k, v]) => (v === null ? [] : [[k, withoutNulls(v)]])));
}

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
