// Nothing hangs (issue 8, point 4): search_files runs the model's regex off the main thread
// with time limits, reports the files it skipped, and stops on cancel. No timing assertions:
// the tests only assert that the search finishes and what it reports.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { searchInFiles, SEARCH_LIMITS } from '../../../src/core/agents/tools/searchInFiles';
import { ToolError } from '../../../src/core/agents/tools/toolTypes';
import { invoke, makeSandbox, makeToolContext, type Sandbox } from '../../support/agents/agentTestKit';

const EVIL_LINE = `${'a'.repeat(48)}!`;
let box: Sandbox;

before(async () => {
  box = await makeSandbox({
    'src/a.txt': `first\n${EVIL_LINE}\nlast aaa\n`,
    'src/b.txt': `aaa\n${EVIL_LINE}\n`,
    'src/c.txt': 'plain aaaa\n',
  });
});
after(() => box.cleanup());

const scope = (signal?: AbortSignal) => ({
  root: box.ws,
  where: { folder: 'src' },
  pattern: undefined,
  hidden: async () => undefined,
  ...(signal ? { signal } : {}),
});

test('the catastrophic regex (a+)+$ finishes, names the files it skipped and keeps the matches of the others', async () => {
  // The main thread keeps running while the worker is stuck: timers fire during the search.
  let ticks = 0;
  const timer = setInterval(() => ticks++, 20);
  try {
    const out = await searchInFiles(scope(), /(a+)+$/, { ...SEARCH_LIMITS, perFileMs: 300, totalMs: 10_000 });
    assert.match(out, /^src\/c\.txt:1:plain aaaa$/m);
    assert.match(
      out,
      /\[skipped 2 file\(s\): src\/a\.txt \(pattern ran past 0\.3 s on this file\), src\/b\.txt \(pattern ran past 0\.3 s on this file\)\]/,
    );
    assert.ok(ticks > 0, 'the event loop was blocked for the whole search');
  } finally {
    clearInterval(timer);
  }
});

test('through the tool, with the default limits, the search still finishes and reports the skipped files', async () => {
  const ctx = await makeToolContext(box.ws, []);
  const out = await invoke(ctx, [], 'search_files', { query: '(a+)+$', path: 'src/a.txt' });
  assert.equal(out.isError, false);
  assert.match(
    out.content,
    /\[no matches for \(a\+\)\+\$\]\n\[skipped 1 file\(s\): src\/a\.txt \(pattern ran past \d+ s on this file\)\]/,
  );
});

test('the total time limit reports the files not searched', async () => {
  const out = await searchInFiles(scope(), /(a+)+$/, { ...SEARCH_LIMITS, perFileMs: 60_000, totalMs: 300 });
  assert.match(out, /search stopped at its 0\.3 s time limit: 3 file\(s\) not searched/);
});

test('cancelling stops a search stuck in a regex', async () => {
  const controller = new AbortController();
  const search = searchInFiles(scope(controller.signal), /(a+)+$/, {
    ...SEARCH_LIMITS,
    perFileMs: 60_000,
    totalMs: 60_000,
  });
  setTimeout(() => controller.abort(), 200);
  await assert.rejects(search, (error: unknown) => error instanceof ToolError && /cancelled/.test(error.message));
});
