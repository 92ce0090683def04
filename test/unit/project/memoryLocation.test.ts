// Where the memory graph is (docs/configuration.md): config, then the memory server's MEMORY_FILE_PATH
// in .mcp.json / .vscode/mcp.json, then .claude/memory.jsonl, then .claude/memory.json.
import assert from 'node:assert/strict';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadMemory } from '../../../src/core/project/registry/memory';
import { locateMemoryFile } from '../../../src/core/project/registry/memoryLocation';
import { inTempWorkspace } from '../../support/tempWorkspace';

const line = (name: string) =>
  `{"type":"entity","name":"${name}","entityType":"Entity","observations":["from ${name}"]}\n`;

async function withWorkspace(files: Record<string, string>, body: (dir: string) => Promise<void>): Promise<void> {
  await inTempWorkspace(files, async (dir) => {
    await body(dir);
  });
}

test('the config wins over everything', async () => {
  await withWorkspace(
    {
      'docs/graph.jsonl': line('Configured'),
      '.claude/memory.jsonl': line('Default'),
      '.mcp.json': '{"mcpServers":{"memory":{"env":{"MEMORY_FILE_PATH":".claude/other.jsonl"}}}}',
    },
    async (dir) => {
      const memory = await loadMemory(dir, { memory: 'docs/graph.jsonl' });
      assert.equal(memory.file, 'docs/graph.jsonl');
      assert.deepEqual(
        memory.graph.entities.map((e) => e.name),
        ['Configured'],
      );
      assert.deepEqual(await loadMemory(dir, { memory: 'docs/none.jsonl' }), {
        graph: { entities: [], relations: [] },
        warnings: ['docs/none.jsonl: the memory file set by `memory:` in .claude/orchestrator.yaml does not exist'],
      });
    },
  );
});

test(".mcp.json: the memory server's MEMORY_FILE_PATH, relative to the workspace (a .json file holding JSONL)", async () => {
  const mcp = JSON.stringify({
    mcpServers: {
      github: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-github'], env: { GITHUB_TOKEN: 'x' } },
      memory: {
        command: 'npx',
        args: ['-y', '@modelcontextprotocol/server-memory'],
        env: { MEMORY_FILE_PATH: '.claude/memory.json' },
      },
    },
  });
  await withWorkspace(
    { '.mcp.json': mcp, '.claude/memory.json': line('FromMcp'), '.claude/memory.jsonl': line('Default') },
    async (dir) => {
      const memory = await loadMemory(dir);
      assert.equal(memory.file, '.claude/memory.json');
      assert.deepEqual(
        memory.graph.entities.map((e) => e.name),
        ['FromMcp'],
      );
      assert.deepEqual(memory.warnings, []);
    },
  );
});

test('.vscode/mcp.json: JSONC with comments and trailing commas, `servers`, ${workspaceFolder}', async () => {
  const jsonc = `{
  // MCP servers of this workspace
  "servers": {
    "knowledge": {
      "type": "stdio",
      "command": "npx",
      "args": ["-y", "@modelcontextprotocol/server-memory",],
      /* the graph lives with the project */
      "env": { "MEMORY_FILE_PATH": "\${workspaceFolder}/.claude/knowledge/graph.jsonl", },
    },
  },
}
`;
  await withWorkspace(
    { '.vscode/mcp.json': jsonc, '.claude/knowledge/graph.jsonl': line('FromVscode') },
    async (dir) => {
      const memory = await loadMemory(dir);
      assert.equal(memory.file, '.claude/knowledge/graph.jsonl');
      assert.deepEqual(
        memory.graph.entities.map((e) => e.name),
        ['FromVscode'],
      );
    },
  );
});

test('an absolute path inside the workspace is read; one outside it is not, with a warning', async () => {
  const outside = await mkdtemp(join(tmpdir(), 'orchestrator-outside-'));
  try {
    await writeFile(join(outside, 'memory.jsonl'), line('Outside'));
    await withWorkspace({ '.claude/memory.jsonl': line('Default'), 'kb/graph.jsonl': line('Inside') }, async (dir) => {
      await writeFile(
        join(dir, '.mcp.json'),
        JSON.stringify({ mcpServers: { memory: { env: { MEMORY_FILE_PATH: join(dir, 'kb/graph.jsonl') } } } }),
      );
      assert.deepEqual(
        (await loadMemory(dir)).graph.entities.map((e) => e.name),
        ['Inside'],
      );

      await writeFile(
        join(dir, '.mcp.json'),
        JSON.stringify({ mcpServers: { memory: { env: { MEMORY_FILE_PATH: join(outside, 'memory.jsonl') } } } }),
      );
      const memory = await loadMemory(dir);
      assert.deepEqual(
        memory.graph.entities.map((e) => e.name),
        ['Default'],
      );
      assert.equal(memory.warnings.length, 1);
      assert.match(
        memory.warnings[0]!,
        /^\.mcp\.json: the memory server's MEMORY_FILE_PATH \(.*memory\.jsonl\) is outside the workspace, so it is not read/,
      );

      // A symlink inside the workspace that leads out of it is outside too.
      await symlink(join(outside, 'memory.jsonl'), join(dir, 'kb/link.jsonl'));
      await writeFile(
        join(dir, '.mcp.json'),
        JSON.stringify({ mcpServers: { memory: { env: { MEMORY_FILE_PATH: 'kb/link.jsonl' } } } }),
      );
      const linked = await loadMemory(dir);
      assert.deepEqual(
        linked.graph.entities.map((e) => e.name),
        ['Default'],
      );
      assert.match(linked.warnings[0] ?? '', /outside the workspace/);
      // `../` too, and an absolute path of another system.
      for (const path of ['../elsewhere.jsonl', 'C:\\Users\\ana\\memory.jsonl']) {
        await writeFile(
          join(dir, '.mcp.json'),
          JSON.stringify({ mcpServers: { memory: { env: { MEMORY_FILE_PATH: path } } } }),
        );
        assert.match((await loadMemory(dir)).warnings[0] ?? '', /outside the workspace/, path);
      }
    });
  } finally {
    await rm(outside, { recursive: true, force: true });
  }
});

test('an unreadable MCP config or an unknown variable is a warning; the defaults apply', async () => {
  await withWorkspace(
    { '.mcp.json': '{ "mcpServers": { "memory": ', '.claude/memory.json': line('Json') },
    async (dir) => {
      const memory = await loadMemory(dir);
      assert.deepEqual(
        memory.graph.entities.map((e) => e.name),
        ['Json'],
      );
      assert.match(
        memory.warnings[0] ?? '',
        /^\.mcp\.json:1: not valid JSON \(\w+\); its memory server settings are read as far as it goes$/,
      );
    },
  );
  await withWorkspace({ '.mcp.json': '["not", "a", "config"]', '.claude/memory.json': line('Json') }, async (dir) => {
    assert.deepEqual((await loadMemory(dir)).warnings, [
      '.mcp.json: not a JSON object; its memory server settings are ignored',
    ]);
  });
  await withWorkspace(
    { '.mcp.json': '{"mcpServers":{"memory":{"env":{"MEMORY_FILE_PATH":"${input:graphPath}"}}}}' },
    async (dir) => {
      const location = await locateMemoryFile(dir, {});
      assert.equal(location.from, 'none');
      assert.match(location.warnings[0] ?? '', /uses a variable the Orchestrator cannot expand/);
    },
  );
});

test('defaults: .claude/memory.jsonl, then .claude/memory.json; neither is an empty graph', async () => {
  await withWorkspace({ '.claude/memory.json': line('Json'), '.claude/memory.jsonl': line('Jsonl') }, async (dir) => {
    assert.deepEqual(await locateMemoryFile(dir, {}), { file: '.claude/memory.jsonl', from: 'default', warnings: [] });
  });
  await withWorkspace({ '.claude/memory.json': line('Json') }, async (dir) => {
    assert.equal((await locateMemoryFile(dir, {})).file, '.claude/memory.json');
  });
  await withWorkspace({}, async (dir) => {
    assert.deepEqual(await loadMemory(dir), { graph: { entities: [], relations: [] }, warnings: [] });
  });
});
