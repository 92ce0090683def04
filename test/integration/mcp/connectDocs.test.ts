// docs/connect-agents.md lists the MCP tools and their arguments: this test reads them from the
// real server (our CLI over stdio, the SDK's client) and fails when the page says otherwise, so
// the list cannot drift. On a mismatch it prints the block to paste.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeShop } from '../../support/engine/shopWorkspace';
import { buildCli, ROOT } from '../../support/cli/cliKit';
import { stdioWorld } from '../../support/mcp/mcpKit';

before(() => buildCli());

interface JsonSchema {
  type?: string;
  enum?: string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
}

/** `` `task_id` (string), `path?` (string) `` — one tool's arguments as the page writes them. */
function argumentsOf(schema: JsonSchema): string {
  const required = new Set(schema.required ?? []);
  const entries = Object.entries(schema.properties ?? {});
  if (entries.length === 0) return 'none';
  return entries
    .map(
      ([name, prop]) =>
        `\`${name}${required.has(name) ? '' : '?'}\` (${prop.enum ? prop.enum.join(' \\| ') : (prop.type ?? 'any')})`,
    )
    .join(', ');
}

test('docs/connect-agents.md lists exactly the MCP tools the server has, with their arguments, and the queue resource', async () => {
  const shop = makeShop();
  const world = await stdioWorld(shop);
  try {
    const { client } = await world.client('docs-check');
    const { tools } = await client.listTools();
    const rows = tools
      .map(
        (tool) =>
          `| \`${tool.name}\` | ${argumentsOf(tool.inputSchema as JsonSchema)} | ${(tool.description ?? '').replace(/\|/g, '\\|')} |`,
      )
      .sort();
    const { resources } = await client.listResources();
    const expected = [
      '<!-- tools:begin (checked against the server by test/integration/mcp/connectDocs.test.ts) -->',
      '| tool | arguments (`?` = optional) | what it does |',
      '| --- | --- | --- |',
      ...rows,
      '',
      ...resources.map((r) => `Resource: \`${r.uri}\` — ${r.description ?? r.name}`),
      '<!-- tools:end -->',
    ].join('\n');
    const page = readFileSync(join(ROOT, 'docs', 'connect-agents.md'), 'utf8');
    const found = /<!-- tools:begin[\s\S]*?<!-- tools:end -->/.exec(page)?.[0];
    assert.equal(
      found,
      expected,
      `docs/connect-agents.md's tool list differs from the server's; the block should read:\n\n${expected}\n`,
    );
  } finally {
    await world.close();
    shop.cleanup();
  }
});

test("docs/connect-agents.md shows each client's configuration: .mcp.json, claude mcp add (stdio and HTTP with the bearer token), .vscode/mcp.json, .cursor/mcp.json", () => {
  const page = readFileSync(join(ROOT, 'docs', 'connect-agents.md'), 'utf8');
  for (const needle of [
    '.mcp.json',
    'claude mcp add',
    '--transport http',
    'Authorization: Bearer',
    '.vscode/mcp.json',
    '.cursor/mcp.json',
    'orchestrator user token',
    'orchestrator mcp --http',
  ]) {
    assert.ok(page.includes(needle), `the page shows ${needle}`);
  }
  // Every JSON example parses: a user copies them as they are.
  const blocks = [...page.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]!);
  assert.ok(blocks.length >= 5, 'the JSON examples are there');
  for (const block of blocks) assert.doesNotThrow(() => JSON.parse(block), block);
});
