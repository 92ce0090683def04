// Writes the client (src/client.js) from an OpenAPI file: one method per operation, named by its
// operationId. It reads only what the client needs, `paths:` as the service's openapi.yaml writes
// it (a path two spaces in, its methods four, `operationId:` six), so the example needs no package.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/** The operations of an OpenAPI text, in its order: { id, method, path }. */
export function operations(text) {
  const found = [];
  let inPaths = false;
  let path;
  let method;
  for (const line of text.split('\n')) {
    if (/^[^\s#]/.test(line)) inPaths = line.startsWith('paths:');
    if (!inPaths) continue;
    const key = /^( *)([^\s:#][^:]*):\s*(.*)$/.exec(line);
    if (!key) continue;
    const [, indent, name, value] = key;
    if (indent.length === 2) path = name.replace(/^["']|["']$/g, '');
    else if (indent.length === 4) method = METHODS.includes(name) ? name.toUpperCase() : undefined;
    else if (indent.length === 6 && name === 'operationId' && path && method)
      found.push({ id: value.replace(/^["']|["']$/g, ''), method, path });
  }
  return found;
}

/** The client module for an OpenAPI text. */
export function generate(text, source = 'openapi.yaml') {
  const methods = operations(text).map(
    ({ id, method, path }) =>
      `    /** ${method} ${path} */\n    ${id}: (params = {}, body) => request(baseUrl, '${method}', '${path}', params, body),`,
  );
  return [
    `// Generated from ${source} by scripts/generate.mjs (npm run generate): edit the schema, not this file.`,
    "import { request } from './request.js';",
    '',
    '/** The API at `baseUrl` (http://localhost:3000), one method per operation. */',
    'export function createClient(baseUrl) {',
    '  return {',
    ...methods,
    '  };',
    '}',
    '',
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [schema, out] = process.argv.slice(2);
  if (!schema || !out) {
    console.error('usage: node scripts/generate.mjs <openapi.yaml> <client.js>');
    process.exit(2);
  }
  writeFileSync(out, generate(readFileSync(schema, 'utf8'), schema.replace(/^(\.\.\/)+/, '')));
  console.log(`wrote ${out}`);
}
