// Issue 8 through the built CLI: Ctrl-C works while a search is stuck in a catastrophic regex
// (point 4), and checkpoint refs are pruned at run start and by `orchestrator gc` (point 7).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { block, reply } from '../../support/messagesApiServer';
import { say, specAnswer, writesThenDone, type AgentScript } from '../../support/engine/agentScript';
import { PRODUCT_API_SPEC, PRODUCT_MODULE } from '../../support/engine/fixtures';
import { buildCli, cliWorld, jsonOf, runCli, startCli } from '../../support/cli/cliKit';

before(() => buildCli());

/** The CLI's world, with the shop's files and config. */
const world = (
  agents: Record<string, AgentScript>,
  files: Record<string, string> = {},
  config?: (yaml: string) => string,
) => cliWorld(agents, { files, ...(config ? { config } : {}) });

const EVIL = Object.fromEntries(
  Array.from({ length: 40 }, (_, i) => [`server/data/evil${i}.txt`, `${'a'.repeat(50)}!\n`]),
);

test(
  'cli: Ctrl-C during a search stuck in (a+)+$ exits 130 and leaves the run resumable',
  { timeout: 90_000 },
  async () => {
    let searching: () => void = () => {};
    const searchSent = new Promise<void>((resolve) => (searching = resolve));
    const w = await world(
      {
        spec: specAnswer('Product API', 'product-api', PRODUCT_API_SPEC),
        backend: ({ turn }) => {
          if (turn > 0) return say.done();
          searching();
          return reply.turn([block.toolUse('search_files', { query: '(a+)+$', path: 'server' })]);
        },
      },
      EVIL,
    );
    try {
      const run = startCli(['feature', 'Add a Product entity to the API', '--approve', '--yes', '--json'], {
        cwd: w.shop.dir,
        baseURL: w.api.url,
      });
      await searchSent;
      await new Promise((resolve) => setTimeout(resolve, 1000)); // the reply streams, then the search starts
      run.child.kill('SIGINT');
      const result = await run.done;
      assert.equal(result.code, 130, result.stderr);
      assert.equal(jsonOf(result).status, 'cancelled');
      assert.match(result.stderr, /interrupting/);
    } finally {
      await w.close();
    }
  },
);

const REFS = ['20260101-000000-aaaa', '20260102-000000-bbbb', '20260103-000000-cccc', '20260104-000000-dddd'];

test(
  'cli: a run prunes checkpoint refs beyond checkpoints.keep at its start, and gc prunes on demand',
  { timeout: 120_000 },
  async () => {
    const keepTwo = (yaml: string) => yaml.replace(/\nlimits:/, '\ncheckpoints: { keep: 2 }\nlimits:');
    const w = await world(
      {
        spec: specAnswer('Product API', 'product-api', PRODUCT_API_SPEC),
        backend: writesThenDone({ 'server/entities/product.js': PRODUCT_MODULE }),
        review: () => say.approve(),
      },
      {},
      keepTwo,
    );
    try {
      const head = w.shop.git('rev-parse', 'HEAD').trim();
      for (const id of REFS) w.shop.git('update-ref', `refs/orchestrator/${id}`, head);
      const refs = () =>
        w.shop
          .git('for-each-ref', '--format=%(refname)', 'refs/orchestrator/')
          .trim()
          .split('\n')
          .filter(Boolean)
          .sort();

      // gc: the newest two stay (same commit time: the newer run id wins).
      const gc = await runCli(['gc', '--json'], { cwd: w.shop.dir });
      assert.equal(gc.code, 0, gc.stderr);
      assert.deepEqual(jsonOf(gc), {
        kept: ['refs/orchestrator/20260104-000000-dddd', 'refs/orchestrator/20260103-000000-cccc'],
        pruned: ['refs/orchestrator/20260102-000000-bbbb', 'refs/orchestrator/20260101-000000-aaaa'],
        // No run in a worktree here: nothing of that kind to remove.
        removedWorktrees: [],
        deletedRefs: [],
        discardedRuns: [],
      });
      assert.deepEqual(refs(), ['refs/orchestrator/20260103-000000-cccc', 'refs/orchestrator/20260104-000000-dddd']);

      // A run makes room for its own checkpoint: two refs after it, its own and the newest other.
      const run = await runCli(['feature', 'Add a Product entity to the API', '--approve', '--yes', '--json'], {
        cwd: w.shop.dir,
        baseURL: w.api.url,
      });
      assert.equal(run.code, 0, run.stderr);
      const { runId } = jsonOf(run) as { runId: string };
      assert.deepEqual(refs(), ['refs/orchestrator/20260104-000000-dddd', `refs/orchestrator/${runId}`].sort());
      const text = await runCli(['gc'], { cwd: w.shop.dir });
      assert.match(text.stdout, /kept 2 checkpoint ref\(s\), pruned 0/);
    } finally {
      await w.close();
    }
  },
);
