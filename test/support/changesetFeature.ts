// A feature across examples/changeset's three repositories (issue 73), as each member's scripted
// agents write it: the service adds GET /products/{id}/stock (getStock in its openapi.yaml), the sdk
// an `inStock` over the client generated from that schema, the web app a stock badge through the
// sdk. Each part's proof test is red on its member's base and green only with its producers' changed
// heads linked in (the sdk's client regenerated, web's sdk the sdk's work tree, not its installed copy).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { reply } from './messagesApiServer';
import { CHANGESET } from './changesetExample';
import { type AgentScript, say } from './engine/agentScript';

const original = (path: string) => readFileSync(join(CHANGESET, path), 'utf8');

const heading = (member: string) => member[0]!.toUpperCase() + member.slice(1);

const spec = (
  member: string,
  criterion: string,
  task: string,
  files: readonly string[],
) => `## Spec: ${member}'s part of product stock

### Summary
${member}'s part of showing how many of each product are in stock.

### Requirements

#### REQ-1: Product stock
**Acceptance criteria**
- REQ-1.1: ${criterion}

### API Contracts

#### GET /products/{id}/stock
- Success: 200 {stock}
- 404: {error} when no product has that id
- 500: {error: "internal error"}
- Timeout: the client gives up after 10 s

### Files to Create/Modify

#### ${heading(member)}
${files.map((f) => `- [ ] ${f}: ${task}`).join('\n')}

### Tasks
1. [ ] ${heading(member)}: ${task} (REQ-1)

### Dependencies
- None
`;

const PROOF_TEST = {
  service: `import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createService } from '../../src/server.js';

test('REQ-1.1 GET /products/{id}/stock gives the product stock', async (t) => {
  const server = createService([{ id: 'mug', name: 'Mug', priceCents: 700, stock: 3 }]);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  const res = await fetch(\`http://127.0.0.1:\${server.address().port}/products/mug/stock\`);
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { stock: 3 });
});
`,
  sdk: `import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { test } from 'node:test';
import { inStock } from '../../src/stock.js';

test('REQ-1.1 inStock gets /products/{id}/stock and gives the count', async (t) => {
  const server = createServer((req, res) => {
    res.writeHead(req.url === '/products/a%20b/stock' ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ stock: 4 }));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  assert.equal(await inStock(\`http://127.0.0.1:\${server.address().port}\`, 'a b'), 4);
});
`,
  web: `import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { test } from 'node:test';
import { stockBadge } from '../../src/stockBadge.js';

test('REQ-1.1 the stock badge says how many are in stock', async (t) => {
  const server = createServer((req, res) => {
    res.writeHead(req.url === '/products/k/stock' ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ stock: 3 }));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  assert.equal(await stockBadge(\`http://127.0.0.1:\${server.address().port}\`, 'k'), '3 in stock');
});
`,
};

const STOCK_PATH = `  /products/{id}/stock:
    get:
      operationId: getStock
      summary: How many of one product are in stock
      responses:
        "200":
          description: The count
components:`;

/** The service's change; `breaking`: listProducts renamed on the way, which the sdk's existing test uses. */
function serviceFiles(breaking: boolean): Record<string, string> {
  let schema = original('service/openapi.yaml').replace(/^components:/m, STOCK_PATH);
  if (breaking) schema = schema.replace('operationId: listProducts', 'operationId: listAllProducts');
  const server = original('service/src/server.js').replace(
    '    const one =',
    `    const stock = /^\\/products\\/([^/]+)\\/stock$/.exec(path);
    const counted = stock && products.find((p) => p.id === decodeURIComponent(stock[1]));
    if (counted) return send(200, { stock: counted.stock ?? 0 });
    const one =`,
  );
  return { 'openapi.yaml': schema, 'src/server.js': server };
}

const SDK_FILES = {
  'src/stock.js': `import { createClient } from './client.js';

/** How many of product \`id\` the API at \`baseUrl\` has in stock. */
export async function inStock(baseUrl, id) {
  return (await createClient(baseUrl).getStock({ id })).stock;
}
`,
  'src/index.js': "export * from './client.js';\nexport * from './stock.js';\n",
  'package.json': original('sdk/package.json').replace('"main": "src/client.js"', '"main": "src/index.js"'),
};

const WEB_FILES = {
  'src/stockBadge.js': `import { inStock } from '@changeset-example/sdk';

/** \`3 in stock\`, or \`sold out\`. */
export async function stockBadge(baseUrl, id) {
  const count = await inStock(baseUrl, id);
  return count > 0 ? \`\${count} in stock\` : 'sold out';
}
`,
};

const FILES = {
  service: serviceFiles,
  sdk: () => SDK_FILES,
  web: () => WEB_FILES,
};

const PARTS = {
  service: {
    criterion: 'WHEN a client GETs /products/{id}/stock THE API SHALL answer 200 with {stock}.',
    task: 'GET /products/{id}/stock in src/server.js and getStock in openapi.yaml',
    test: 'REQ-1.1 GET /products/{id}/stock gives the product stock',
  },
  sdk: {
    criterion: 'WHEN inStock(baseUrl, id) is called THE sdk SHALL get /products/{id}/stock and give its count.',
    task: 'inStock in src/stock.js over the generated getStock, exported from src/index.js',
    test: 'REQ-1.1 inStock gets /products/{id}/stock and gives the count',
  },
  web: {
    criterion: 'WHEN a product has stock THE badge SHALL say how many are in stock.',
    task: 'stockBadge in src/stockBadge.js through the sdk',
    test: 'REQ-1.1 the stock badge says how many are in stock',
  },
} as const;

type Member = keyof typeof PARTS;

/** The member whose part a spec agent writes: the set names it in the request (changeSet/setSpec.ts). */
const memberOf = (task: string): Member => /This is (service|sdk|web)'s part/.exec(task)![1] as Member;

/**
 * The set's agents: each member's spec, proof, layer (named as the member) and an approving review.
 * `breaking`: the service's first so many attempts rename listProducts (the sdk's test breaks); the next keeps it.
 */
export function changesetAgents(options: { breaking?: number } = {}): Record<string, AgentScript> {
  const files = { sdk: SDK_FILES, web: WEB_FILES };

  const agents: Record<string, AgentScript> = {
    spec: ({ task }) => {
      const member = memberOf(task);
      const part = PARTS[member];
      return say.spec(
        `${member} product stock`,
        `${member}-stock`,
        spec(member, part.criterion, part.task, Object.keys(FILES[member](false))),
      );
    },
    proof: ({ turn, task }) => {
      // The proof agent's task names the member's layer's files; its criterion is the member's.
      const member = (['service', 'sdk', 'web'] as const).find((m) => task.includes(PARTS[m].criterion))!;
      const file = 'test/acceptance/stock.test.js';
      if (turn === 0) return say.write({ [file]: PROOF_TEST[member] });
      return reply.toolUse('submit_proof', { tests: [{ criterion: 'REQ-1.1', file, name: PARTS[member].test }] });
    },
    review: () => say.approve(),
  };
  for (const member of ['sdk', 'web'] as const)
    agents[member] = ({ turn }) => (turn === 0 ? say.write(files[member]) : say.done());
  agents.service = ({ turn, attempt }) =>
    turn === 0 ? say.write(serviceFiles(attempt <= (options.breaking ?? 0))) : say.done();
  return agents;
}
